using System.Globalization;

namespace Layercake.Development.Data.Tables;

/// <summary>
/// Says where a row came from, for errors. Text files (CSV, JSON Lines) count lines; a Parquet file counts rows and
/// names the row group; a query names its first line and the row's position in the query's order. Rows of a Parquet
/// file or a query are numbered from 2, as if a header were line 1, so one numbering serves every source.
/// </summary>
public sealed record RowLocator(string File, IReadOnlyList<long>? RowGroupStarts = null, string? Query = null)
{
    public static implicit operator RowLocator(string file) => new(file);

    public static RowLocator ForQuery(string kind, string query) =>
        new($"{kind} query", Query: query.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? "");

    /// <summary>The file, or the kind of query with its first line.</summary>
    public string Source => Query is null ? File : $"{File} '{Query}'";

    public string Describe(int line)
    {
        if (Query is not null)
        {
            return line <= 1 ? Source : $"{Source}, row {(line - 1).ToString(CultureInfo.InvariantCulture)} in the query's order";
        }

        if (RowGroupStarts is { } starts)
        {
            if (line <= 1)
            {
                return File;
            }

            var row = line - 2L;
            var group = 0;
            while (group + 1 < starts.Count && starts[group + 1] <= row)
            {
                group++;
            }

            return string.Create(CultureInfo.InvariantCulture,
                $"{File}: row {row + 1} (row group {group}, row {row - starts[group] + 1} in it)");
        }

        return $"{File}:{line.ToString(CultureInfo.InvariantCulture)}";
    }
}
