namespace Layercake.Runtime.Manifest.Signature;

/// <summary>
/// The contract between a model package and whoever scores it: the raw inputs, the ONNX outputs,
/// and for classification the class names in the order of the probability vector.
/// </summary>
public sealed record ModelSignature(
    ModelTask Task,
    IReadOnlyList<ModelInput> Inputs,
    IReadOnlyList<ModelOutput> Outputs,
    IReadOnlyList<string> Classes);
