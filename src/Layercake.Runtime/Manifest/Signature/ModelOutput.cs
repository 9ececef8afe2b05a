namespace Layercake.Runtime.Manifest.Signature;

/// <summary>An ONNX output the serving side reads, with its meaning (label, probabilities or score).</summary>
public sealed record ModelOutput(string Name, string Tensor, string DataType, IReadOnlyList<long> Shape);
