using System.Globalization;
using System.Text;
using Layercake.Pipelines;
using Layercake.Pipelines.Locations;

namespace Layercake.Development.Data.Tables;

/// <summary>
/// Data that cannot be used, located in the file: line (1-based, the header is line 1), and where it
/// applies the column's position and name and the offending value.
/// </summary>
internal sealed class DataValidationException : Exception, ILocatedError
{
    public DataValidationException(RowLocator where, int line, string problem)
        : base($"{where.Describe(line)}: {problem}")
    {
        File = where.File;
        Line = line;
    }

    public DataValidationException(RowLocator where, int line, int column, string columnName, string? value, string expected)
        : base($"{where.Describe(line)}: column {column} '{columnName}': " +
            $"{(value is null ? "missing value" : $"value '{Shorten(value)}'")}: expected {expected}")
    {
        File = where.File;
        Line = line;
        Column = column;
        ColumnName = columnName;
        Value = value;
    }

    /// <summary>
    /// Several bad cells at once: the message (and <see cref="Line"/>, <see cref="Column"/>) names the first in file
    /// order, then lists the others shown and says how many there are in all.
    /// </summary>
    public DataValidationException(RowLocator where, IReadOnlyList<BadCell> first, int total)
        : base(Describe(where, first, total))
    {
        File = where.File;
        Line = first[0].Line;
        Column = first[0].Column;
        ColumnName = first[0].ColumnName;
        Value = first[0].Value;
        BadCells = first;
        BadCellCount = total;
    }

    public string File { get; }
    public int Line { get; }
    /// <summary>1-based position of the column in the header, when the problem is in one column.</summary>
    public int? Column { get; }
    public string? ColumnName { get; }
    public string? Value { get; }

    /// <summary>The first bad cells in file order (up to 20), when the problem is in cells; otherwise empty.</summary>
    public IReadOnlyList<BadCell> BadCells { get; } = [];

    /// <summary>How many bad cells the table has in all, listed or not.</summary>
    public int BadCellCount { get; }

    private static string Cell(RowLocator where, BadCell cell) =>
        $"{where.Describe(cell.Line)}: column {cell.Column} '{cell.ColumnName}': " +
        $"{(cell.Value is null ? "missing value" : $"value '{Shorten(cell.Value)}'")}: expected {cell.Expected}";

    private static string Describe(RowLocator where, IReadOnlyList<BadCell> first, int total)
    {
        var text = new StringBuilder(Cell(where, first[0]));
        if (total == 1)
        {
            return text.ToString();
        }

        var more = total - 1;
        var listed = first.Count - 1;
        text.Append(CultureInfo.InvariantCulture, $"\n{more} more bad cell{(more == 1 ? "" : "s")}")
            .Append(listed < more
                ? string.Create(CultureInfo.InvariantCulture, $" ({total} in all; the next {listed} in file order):")
                : ", in file order:");
        foreach (var cell in first.Skip(1))
        {
            text.Append("\n  ").Append(Cell(where, cell));
        }

        return text.ToString();
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..57] + "...";
}
