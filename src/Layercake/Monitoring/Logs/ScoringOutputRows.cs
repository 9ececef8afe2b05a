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
        var field = new StringBuilder();
        while (await ReadRecordAsync(reader, cancellationToken).ConfigureAwait(false) is { } record)
        {
            yield return [.. Split(record, field)];
        }
    }

    /// <summary>One CSV record's text: lines joined while a quoted field is open (an odd number of quotes so far).</summary>
    private static async Task<string?> ReadRecordAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var record = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        while (record is not null && record.Count(c => c == '"') % 2 == 1)
        {
            var next = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException("a quoted CSV field is not closed before the end of the file");
            record += "\n" + next;
        }

        return record;
    }

    /// <summary>A record's fields as Score writes them (RFC 4180 quoting); an empty unquoted field is missing.</summary>
    private static List<string?> Split(string record, StringBuilder field)
    {
        var fields = new List<string?>();
        field.Clear();
        var (quoted, wasQuoted) = (false, false);
        for (var i = 0; i < record.Length; i++)
        {
            var c = record[i];
            if (quoted && c == '"' && i + 1 < record.Length && record[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                (quoted, wasQuoted) = (!quoted, true);
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.Length == 0 && !wasQuoted ? null : field.ToString());
                (field.Length, wasQuoted) = (0, false);
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.Length == 0 && !wasQuoted ? null : field.ToString());
        return fields;
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
