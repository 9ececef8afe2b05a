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
        : base($"{where.Describe(line)}: column {column} '{columnName}': {(value is null ? "missing value" : $"value '{Shorten(value)}'")}: expected {expected}")
    {
        File = where.File;
        Line = line;
        Column = column;
        ColumnName = columnName;
        Value = value;
    }

    public string File { get; }
    public int Line { get; }
    /// <summary>1-based position of the column in the header, when the problem is in one column.</summary>
    public int? Column { get; }
    public string? ColumnName { get; }
    public string? Value { get; }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..57] + "...";
}
