namespace Layercake.Runtime.Preprocessing;

/// <summary>
/// Model-ready columns keyed by tensor name: numbers as float32 (what ONNX and ML.NET take) and
/// categorical or text values as strings.
/// </summary>
public sealed record PreparedBatch(
    int RowCount,
    IReadOnlyDictionary<string, float[]> Numbers,
    IReadOnlyDictionary<string, string[]> Strings);
