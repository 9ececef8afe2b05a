using System.Globalization;

namespace Layercake.Batch;

/// <summary>How many rows a job may set aside as rejects before it fails: a count, or a share of the rows read.</summary>
public sealed record RejectLimit(long? Count, double? Percent)
{
    /// <summary>No bad row is tolerated.</summary>
    public static RejectLimit None { get; } = new(0, null);

    /// <summary>Parses <c>N</c> or <c>P%</c>; null when the text is neither.</summary>
    public static RejectLimit? TryParse(string text)
    {
        text = text.Trim();
        if (text.EndsWith('%')
            && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent)
            && percent is >= 0 and <= 100)
        {
            return new RejectLimit(null, percent);
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? new RejectLimit(count, null) : null;
    }

    /// <summary>Whether this many rejects is already past a count limit (a share is only known at the end).</summary>
    public bool ExceededBy(long rejects) => Count is { } count && rejects > count;

    /// <summary>Whether the rejects are past the limit once every row is read.</summary>
    public bool ExceededAtEnd(long rejects, long rows) =>
        ExceededBy(rejects) || (Percent is { } percent && rows > 0 && rejects * 100.0 / rows > percent);

    public override string ToString() => Percent is { } percent
        ? percent.ToString(CultureInfo.InvariantCulture) + "%"
        : (Count ?? 0).ToString(CultureInfo.InvariantCulture);
}
