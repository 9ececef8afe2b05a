namespace Layercake.Development.Data;

/// <summary>
/// A table as text, whatever its source: the header, each record's fields (empty for a missing value), and the line
/// each record starts on (see <see cref="RowLocator"/> for what a line is in a Parquet file or a query).
/// </summary>
internal sealed record RawTable(string File, IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows, IReadOnlyList<int> Lines)
{
    public RowLocator Locator { get; init; } = File;

    public int IndexOf(string column)
    {
        for (var i = 0; i < Header.Count; i++)
        {
            if (Header[i] == column)
            {
                return i;
            }
        }

        return -1;
    }
}
