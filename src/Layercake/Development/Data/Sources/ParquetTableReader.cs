using System.Globalization;
using Layercake.Development.Data.Tables;
using Parquet;
using Parquet.Schema;

namespace Layercake.Development.Data.Sources;

/// <summary>
/// Reads a Parquet file's flat columns row group by row group into the same text table a CSV gives, so it meets the
/// same schema resolution and validation, reading numeric column chunks as numbers; errors name the row and its row
/// group.
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
        var reader = await OpenAsync(path, stream, cancellationToken).ConfigureAwait(false);
        await using (reader)
        {
            var fields = reader.Schema.Fields;
            var nested = fields.FirstOrDefault(f => f is not DataField);
            if (nested is not null)
            {
                throw new DataValidationException(path, 1,
                    $"column '{nested.Name}' is a nested {nested.SchemaType.ToString().ToLowerInvariant()}; expected flat columns of " +
                    $"numbers, text, booleans or dates");
            }

            var dataFields = reader.Schema.GetDataFields();
            var header = dataFields.Select(f => f.Name).ToArray();
            var columns = header.Select(_ => new SourceColumn()).ToArray();
            var (starts, rows) = RowGroupStarts(reader);

            // Each column is decoded through a reader of its own over a stream of its own, so the columns of a row group
            // decode on every core at once: Parquet's layout allows it, where a CSV's rows must be read in order.
            var unreadable = new bool[dataFields.Length];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, dataFields.Length),
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                async (c, token) => unreadable[c] = !await ReadColumnAsync(path, reader.RowGroupCount, dataFields[c], columns[c], token)
                    .ConfigureAwait(false)).ConfigureAwait(false);
            var first = Array.IndexOf(unreadable, true);
            if (first >= 0)
            {
                throw new DataValidationException(path, 1,
                    $"column {first + 1} '{header[first]}' holds {dataFields[first].ClrType.Name} values; expected numbers, text, " +
                    $"booleans or dates");
            }

            if (rows == 0)
            {
                throw new DataValidationException(path, 1, "the file has columns but no rows");
            }

            return new RawTable(path, header, columns, Enumerable.Range(2, rows).ToArray()) { Locator = new RowLocator(path, starts) };
        }
    }

    private static async Task<ParquetReader> OpenAsync(string path, Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
            when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException || e.GetType()
            .Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true)
        {
            throw new DataValidationException(path, 1, $"not a readable Parquet file: {e.Message}");
        }
    }

    /// <summary>The row each row group starts at, and the rows in all.</summary>
    private static (List<long> Starts, int Rows) RowGroupStarts(ParquetReader reader)
    {
        var starts = new List<long>();
        var rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            starts.Add(rows);
            using var group = reader.OpenRowGroupReader(g);
            rows += (int)group.RowCount;
        }

        return (starts, rows);
    }

    /// <summary>
    /// Adds one row group's column to its builder: numbers as numbers (no text formatting and parsing), text interned,
    /// anything else as the text a CSV cell would hold. False for a type no schema kind takes.
    /// </summary>
    private static async Task<bool> ReadColumnAsync(string path, int rowGroups, DataField field, SourceColumn column,
        CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var _ = reader.ConfigureAwait(false);
        for (var g = 0; g < rowGroups; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            if (!await ReadColumnAsync(group, field, (int)group.RowCount, column, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<bool> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows, SourceColumn column,
        CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        // Parquet.Net gives text columns as ReadOnlyMemory<char> in its schema and reads them as strings.
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var text = new string?[rows];
            await group.ReadAsync(field, text.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            foreach (var value in text)
            {
                column.Add(value ?? "");
            }

            return true;
        }

        switch (type)
        {
            case var _ when type == typeof(double):
                AddNumbers(await ReadAsync<double>(group, field, rows, cancellationToken).ConfigureAwait(false), column, v => v);
                return true;
            // Through the float's shortest text, as a CSV of the same floats would give: 0.1f is 0.1, not 0.100000001.
            case var _ when type == typeof(float):
                AddNumbers(await ReadAsync<float>(group, field, rows, cancellationToken).ConfigureAwait(false), column,
                    v => double.Parse(v.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
                return true;
            case var _ when type == typeof(int):
                AddNumbers(await ReadAsync<int>(group, field, rows, cancellationToken).ConfigureAwait(false), column, v => v);
                return true;
            case var _ when type == typeof(short):
                AddNumbers(await ReadAsync<short>(group, field, rows, cancellationToken).ConfigureAwait(false), column, v => v);
                return true;
            case var _ when type == typeof(byte):
                AddNumbers(await ReadAsync<byte>(group, field, rows, cancellationToken).ConfigureAwait(false), column, v => v);
                return true;
            case var _ when type == typeof(sbyte):
                AddNumbers(await ReadAsync<sbyte>(group, field, rows, cancellationToken).ConfigureAwait(false), column, v => v);
                return true;
            // Longs and decimals keep their exact text: a long id beyond 2^53 or a price of 1.50 is not a double's text.
            case var _ when type == typeof(long):
                AddTexts(await ReadAsync<long>(group, field, rows, cancellationToken).ConfigureAwait(false), column);
                return true;
            case var _ when type == typeof(decimal):
                AddTexts(await ReadAsync<decimal>(group, field, rows, cancellationToken).ConfigureAwait(false), column);
                return true;
            case var _ when type == typeof(bool):
                AddTexts(await ReadAsync<bool>(group, field, rows, cancellationToken).ConfigureAwait(false), column);
                return true;
            case var _ when type == typeof(DateTime):
                AddTexts(await ReadAsync<DateTime>(group, field, rows, cancellationToken).ConfigureAwait(false), column);
                return true;
            case var _ when type == typeof(DateOnly):
                AddTexts(await ReadAsync<DateOnly>(group, field, rows, cancellationToken).ConfigureAwait(false), column);
                return true;
            default:
                return false;
        }
    }

    private static async Task<T?[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rows,
        CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[rows];
        await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return values;
    }

    private static void AddNumbers<T>(T?[] values, SourceColumn column, Func<T, double> toDouble)
        where T : struct
    {
        column.BecomeNumbers();
        foreach (var value in values)
        {
            if (value is { } v)
            {
                column.AddNumber(toDouble(v));
            }
            else
            {
                column.AddMissing();
            }
        }
    }

    private static void AddTexts<T>(T?[] values, SourceColumn column)
        where T : struct
    {
        foreach (var value in values)
        {
            column.Add(value is { } v ? SourceValueText.Format(v) : "");
        }
    }
}
