using Layercake.Development.Data.Tables;

namespace Layercake.Development.Data.Sources;

/// <summary>
/// A table as read, whatever its source: the header, one compact <see cref="SourceColumn"/> per header column (text
/// interned per column, or numbers), and the line each record starts on (see <see cref="RowLocator"/> for what a line
/// is in a Parquet file or a query). Rows are never held as arrays of strings.
/// </summary>
internal sealed record RawTable(string File, IReadOnlyList<string> Header, IReadOnlyList<SourceColumn> Columns, IReadOnlyList<int> Lines)
{
    public RowLocator Locator { get; init; } = File;

    public int RowCount => Lines.Count;

    /// <summary>A cell's text as a CSV would hold it: empty for a missing value.</summary>
    public string Text(int row, int column) => Columns[column].Text(row) ?? "";

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
