namespace Layercake.Runtime.Manifest.Signature;

/// <summary>
/// One raw feature a caller sends. <see cref="Column"/> is the CSV header as the user wrote it;
/// <see cref="Tensor"/> is the ONNX input it feeds after preprocessing.
/// </summary>
public sealed record ModelInput(string Column, string Tensor, FeatureKind Kind, string DataType);
