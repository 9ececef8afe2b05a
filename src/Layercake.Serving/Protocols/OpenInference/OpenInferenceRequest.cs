using Layercake.Runtime.Preprocessing;

namespace Layercake.Serving.Protocols.OpenInference;

/// <summary>
/// An Open Inference Protocol v2 infer request as read (<see cref="OpenInferenceJsonReader"/>): its id, one raw
/// column per feature, and the outputs it asks for (null: all of them).
/// </summary>
internal sealed record OpenInferenceRequest(string? Id, RawColumns Rows, IReadOnlyList<string>? Outputs);
