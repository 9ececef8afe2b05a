namespace Layercake.Runtime.Scoring.Managed;

/// <summary>
/// How a value of the graph is held: every float type as float[], every integer and boolean type as long[], strings as
/// string[]. Narrower integer types keep their ONNX width through <see cref="Kernels.Features.CastKernel"/>'s wrapping.
/// </summary>
internal enum ValueKind
{
    Float,
    Int,
    String,
}
