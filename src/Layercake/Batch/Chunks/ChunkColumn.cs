using System.Globalization;

namespace Layercake.Batch.Chunks;

/// <summary>
/// One input column of a chunk: numbers as read from a typed source (NaN is missing), or text (null is missing), as
/// a CSV cell or a typed value's invariant text.
/// </summary>
internal sealed record ChunkColumn(double[]? Numbers, string?[]? Texts)
{
    public bool IsNumeric => Numbers is not null;

    /// <summary>The cell as text, null when missing: numbers in their shortest round-trip form, as training reads them.</summary>
    public string? Text(int row) => Numbers is { } numbers
        ? double.IsNaN(numbers[row]) ? null : numbers[row].ToString("R", CultureInfo.InvariantCulture)
        : Texts![row] is { Length: > 0 } text ? text : null;
}
