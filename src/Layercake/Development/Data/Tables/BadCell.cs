namespace Layercake.Development.Data.Tables;

/// <summary>One cell the schema cannot take: where it is (the header is line 1), what it holds and what was expected.</summary>
/// <param name="Column">1-based position of the column in the header.</param>
internal sealed record BadCell(int Line, int Column, string ColumnName, string? Value, string Expected);
