namespace Layercake.Runtime.Preprocessing;

/// <summary>
/// Model-ready columns keyed by tensor name: numbers as float32 (what ONNX and ML.NET take) and
/// categorical or text values as strings.
/// </summary>
public sealed record PreparedBatch(
    int RowCount,
    IReadOnlyDictionary<string, float[]> Numbers,
    IReadOnlyDictionary<string, string[]> Strings)
{
    /// <summary>The rows from <paramref name="start"/>, <paramref name="rows"/> of them, as a batch of their own.</summary>
    public PreparedBatch Slice(int start, int rows) => new(
        rows,
        Numbers.ToDictionary(c => c.Key, c => c.Value[start..(start + rows)], StringComparer.Ordinal),
        Strings.ToDictionary(c => c.Key, c => c.Value[start..(start + rows)], StringComparer.Ordinal));
}
