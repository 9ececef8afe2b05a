using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Layercake.Development.Data.Tables;

namespace Layercake.Development.Data.Sources;

/// <summary>
/// Reads a CSV file with a header row: quoted fields (with commas and newlines), UTF-8 with or without
/// BOM, LF or CRLF. Anything that is not such a file fails with its line.
/// </summary>
internal static class CsvTableReader
{
    public static Task<RawTable> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file not found: {path}", path);
        }

        // Parsing is CPU-bound over a buffered stream; run it off the caller's thread, as the whole file is never in memory.
        return Task.Run(() =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return Read(stream, path, cancellationToken);
        }, cancellationToken);
    }

    public static RawTable Parse(byte[] bytes, string file)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Read(stream, file, CancellationToken.None);
    }

    /// <summary>Streams records straight into per-column builders: no record outlives its parsing.</summary>
    private static RawTable Read(Stream stream, string file, CancellationToken cancellationToken)
    {
        using var reader = new StrictUtf8Reader(stream, file);
        var lines = new List<int>();
        string[]? header = null;
        SourceColumn[] columns = [];
        using var parser = new CsvParser(reader, Configuration(file));
        while (parser.Read())
        {
            var count = parser.Count;
            var raw = parser.RawRecord;
            var startLine = parser.RawRow - LineBreaksWithin(raw);
            if (header is null)
            {
                header = parser.Record ?? [];
                ValidateHeader(header, file, startLine);
                columns = header.Select(_ => new SourceColumn()).ToArray();
                continue;
            }

            if (count != header.Length)
            {
                throw new DataValidationException(file, startLine, $"expected {header.Length} fields as in the header, found {count}");
            }

            for (var c = 0; c < count; c++)
            {
                columns[c].Add(parser[c]);
            }

            lines.Add(startLine);
            if ((lines.Count & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return Table(file, header, columns, lines, reader.HadText);
    }

    private static CsvConfiguration Configuration(string file) => new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = false,
        DetectColumnCountChanges = false,
        IgnoreBlankLines = true,
        TrimOptions = TrimOptions.None,
        BadDataFound = args => throw new DataValidationException(
            file,
            args.Context.Parser?.RawRow ?? 0,
            $"malformed CSV near '{Shorten(args.RawRecord)}': a quote inside an unquoted field, or an unclosed quote"),
    };

    /// <summary>The table read, refusing a file with no header row or no data rows.</summary>
    private static RawTable Table(string file, string[]? header, SourceColumn[] columns, List<int> lines, bool hadText)
    {
        if (header is null)
        {
            throw hadText
                ? new DataValidationException(file, 1, "the file has no header row; expected a header row and data rows")
                : new DataValidationException(file, 1, "the file is empty; expected a header row and data rows");
        }

        if (lines.Count == 0)
        {
            throw new DataValidationException(file, 2, "the file has a header but no data rows");
        }

        return new RawTable(file, header, columns, lines);
    }

    // Line breaks inside the record's quoted fields, not the one that ends it.
    private static int LineBreaksWithin(string raw)
    {
        var end = raw.Length;
        while (end > 0 && raw[end - 1] is '\r' or '\n')
        {
            end--;
        }

        return raw.AsSpan(0, end).Count('\n');
    }

    private static void ValidateHeader(string[] header, string file, int line)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new DataValidationException(file, line, $"column {i + 1} of the header has no name; every column needs one");
            }

            if (seen.TryGetValue(name, out var first))
            {
                throw new DataValidationException(file, line,
                    $"column {i + 1} '{name}' has the same name as column {first + 1}; column names must be unique");
            }

            seen[name] = i;
        }
    }

    private static string Shorten(string value)
    {
        value = value.TrimEnd('\r', '\n');
        return value.Length <= 60 ? value : value[..57] + "...";
    }
}
