using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Layercake.Development.Data;

/// <summary>
/// Reads a Parquet file's flat columns row group by row group into the same text table a CSV gives, so it meets the
/// same schema resolution and validation; errors name the row and its row group.
/// </summary>
internal static class ParquetTableReader
{
    public static async Task<RawTable> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file not found: {path}", path);
        }

        await using var stream = File.OpenRead(path);
        ParquetReader reader;

        try
        {
            reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException || e.GetType().Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true)
        {
            throw new DataValidationException(path, 1, $"not a readable Parquet file: {e.Message}");
        }

        await using (reader)
        {
            var fields = reader.Schema.Fields;
            var nested = fields.FirstOrDefault(f => f is not DataField);
            if (nested is not null)
            {
                throw new DataValidationException(path, 1, $"column '{nested.Name}' is a nested {nested.SchemaType.ToString().ToLowerInvariant()}; expected flat columns of numbers, text, booleans or dates");
            }

            var dataFields = reader.Schema.GetDataFields();
            var header = dataFields.Select(f => f.Name).ToArray();
            var rows = new List<string[]>();
            var starts = new List<long>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                starts.Add(rows.Count);
                using var group = reader.OpenRowGroupReader(g);
                var first = rows.Count;
                for (var r = 0; r < group.RowCount; r++)
                {
                    rows.Add(new string[header.Length]);
                }

                for (var c = 0; c < dataFields.Length; c++)
                {
                    var values = await ReadColumnAsync(group, dataFields[c], (int)group.RowCount, cancellationToken).ConfigureAwait(false)
                        ?? throw new DataValidationException(path, 1, $"column {c + 1} '{header[c]}' holds {dataFields[c].ClrType.Name} values; expected numbers, text, booleans or dates");
                    for (var r = 0; r < values.Length; r++)
                    {
                        rows[first + r][c] = values[r];
                    }
                }
            }

            if (rows.Count == 0)
            {
                throw new DataValidationException(path, 1, "the file has columns but no rows");
            }

            return new RawTable(path, header, rows, Enumerable.Range(2, rows.Count).ToArray()) { Locator = new RowLocator(path, starts) };
        }
    }

    /// <summary>One row group's column as text, or null for a type no schema kind takes.</summary>
    private static async Task<string[]?> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        // Parquet.Net gives text columns as ReadOnlyMemory<char> in its schema and reads them as strings.
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var text = new string?[rows];
            await group.ReadAsync(field, text.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            // Dictionary-encoded columns repeat few values: one string per distinct value, not per row.
            var interned = new Dictionary<string, string>(StringComparer.Ordinal);
            return text.Select(t => t is null ? "" : interned.TryGetValue(t, out var same) ? same : interned[t] = t).ToArray();
        }

        return type switch
        {
            _ when type == typeof(double) => await ReadAsync<double>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(float) => await ReadAsync<float>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(long) => await ReadAsync<long>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(int) => await ReadAsync<int>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(short) => await ReadAsync<short>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(byte) => await ReadAsync<byte>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(sbyte) => await ReadAsync<sbyte>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(decimal) => await ReadAsync<decimal>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(bool) => await ReadAsync<bool>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(DateTime) => await ReadAsync<DateTime>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(DateOnly) => await ReadAsync<DateOnly>(group, field, rows, cancellationToken).ConfigureAwait(false),
            _ => null,
        };
    }

    private static async Task<string[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[rows];
        await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        var text = new string[rows];
        for (var i = 0; i < rows; i++)
        {
            text[i] = values[i] is { } value ? value is double d ? d.ToString(CultureInfo.InvariantCulture) : SourceValueText.Format(value) : "";
        }

        return text;
    }
}
