using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace Layercake.Monitoring.Logs;

/// <summary>
/// The rows of a file Score wrote (Parquet, CSV or JSON Lines), one at a time: each value a string, a double or null.
/// The first item is the header. Parquet is read a row group at a time, the text formats a line at a time.
/// </summary>
internal static class ScoringOutputRows
{
    public static IAsyncEnumerable<object?[]> ReadAsync(string file, CancellationToken cancellationToken) =>
        Path.GetExtension(file).ToLowerInvariant() switch
        {
            ".parquet" => ParquetAsync(file, cancellationToken),
            ".csv" => CsvAsync(file, cancellationToken),
            ".jsonl" or ".ndjson" => JsonLinesAsync(file, cancellationToken),
            var other => throw new InvalidDataException($"{file}: '{other}' is not a format Score writes (.parquet, .csv or .jsonl)."),
        };

    private static async IAsyncEnumerable<object?[]> ParquetAsync(string file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        yield return [.. fields.Select(f => f.Name)];
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var columns = new List<object?[]>();
            foreach (var field in fields)
            {
                columns.Add(await ReadColumnAsync(group, field, (int)group.RowCount, cancellationToken).ConfigureAwait(false));
            }

            for (var r = 0; r < group.RowCount; r++)
            {
                yield return [.. columns.Select(c => c[r])];
            }
        }
    }

    private static async Task<object?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows,
        CancellationToken cancellationToken)
    {
        if (field.ClrType == typeof(float))
        {
            var floats = new float?[rows];
            await group.ReadAsync(field, floats.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return [.. floats.Select(f => f is { } v ? (object)(double)v : null)];
        }

        if (field.ClrType == typeof(double))
        {
            var doubles = new double?[rows];
            await group.ReadAsync(field, doubles.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return [.. doubles.Select(d => (object?)d)];
        }

        var texts = new string?[rows];
        await group.ReadAsync(field, texts.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return texts;
    }

    private static async IAsyncEnumerable<object?[]> CsvAsync(string file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(file, Encoding.UTF8);
        var record = new List<string?>();
        var field = new StringBuilder();
        while (await ReadRecordAsync(reader, record, field, cancellationToken).ConfigureAwait(false))
        {
            yield return [.. record];
        }
    }

    /// <summary>One CSV record as Score writes them (RFC 4180 quoting); an empty unquoted field is missing.</summary>
    private static async Task<bool> ReadRecordAsync(StreamReader reader, List<string?> record, StringBuilder field,
        CancellationToken cancellationToken)
    {
        var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line is null)
        {
            return false;
        }

        record.Clear();
        field.Clear();
        var (quoted, wasQuoted) = (false, false);
        for (var i = 0; ; i++)
        {
            if (i == line.Length)
            {
                if (!quoted)
                {
                    break;
                }

                // A quoted field that holds a line break goes on on the next line.
                field.Append('\n');
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidDataException("a quoted CSV field is not closed before the end of the file");
                i = -1;
                continue;
            }

            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                (quoted, wasQuoted) = (true, true);
            }
            else if (c == ',')
            {
                record.Add(field.Length == 0 && !wasQuoted ? null : field.ToString());
                (field.Length, wasQuoted) = (0, false);
            }
            else
            {
                field.Append(c);
            }
        }

        record.Add(field.Length == 0 && !wasQuoted ? null : field.ToString());
        return true;
    }

    private static async IAsyncEnumerable<object?[]> JsonLinesAsync(string file,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(file, Encoding.UTF8);
        string[]? header = null;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var properties = document.RootElement.EnumerateObject().ToArray();
            if (header is null)
            {
                header = [.. properties.Select(p => p.Name)];
                yield return header;
            }

            yield return [.. header.Select(name => document.RootElement.TryGetProperty(name, out var value) ? Value(value) : null)];
        }
    }

    private static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };
}
