using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using CsvHelper.Configuration;

namespace Layercake.Development.Data;

/// <summary>
/// Reads a CSV file with a header row: quoted fields (with commas and newlines), UTF-8 with or without
/// BOM, LF or CRLF. Anything that is not such a file fails with its line.
/// </summary>
internal static class CsvTableReader
{
    public static async Task<RawTable> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file not found: {path}", path);
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, path);
    }

    public static RawTable Parse(byte[] bytes, string file)
    {
        var span = bytes.AsSpan();
        if (span.StartsWith(Encoding.UTF8.Preamble))
        {
            span = span[3..];
        }

        if (span.IsEmpty)
        {
            throw new DataValidationException(file, 1, "the file is empty; expected a header row and data rows");
        }

        var text = DecodeStrictly(span, file);
        var rows = new List<string[]>();
        var lines = new List<int>();
        string[]? header = null;

        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            DetectColumnCountChanges = false,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.None,
            BadDataFound = args => throw new DataValidationException(
                file, args.Context.Parser?.RawRow ?? 0, $"malformed CSV near '{Shorten(args.RawRecord)}': a quote inside an unquoted field, or an unclosed quote"),
        };

        using var reader = new StringReader(text);
        using var parser = new CsvParser(reader, configuration);
        while (parser.Read())
        {
            var record = parser.Record ?? [];
            var raw = parser.RawRecord.TrimEnd('\r', '\n');
            var startLine = parser.RawRow - raw.Count(c => c == '\n');
            if (header is null)
            {
                header = record;
                ValidateHeader(header, file, startLine);
                continue;
            }

            if (record.Length != header.Length)
            {
                throw new DataValidationException(file, startLine, $"expected {header.Length} fields as in the header, found {record.Length}");
            }

            rows.Add(record);
            lines.Add(startLine);
        }

        if (header is null)
        {
            throw new DataValidationException(file, 1, "the file has no header row; expected a header row and data rows");
        }

        if (rows.Count == 0)
        {
            throw new DataValidationException(file, 2, "the file has a header but no data rows");
        }

        return new RawTable(file, header, rows, lines);
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
                throw new DataValidationException(file, line, $"column {i + 1} '{name}' has the same name as column {first + 1}; column names must be unique");
            }

            seen[name] = i;
        }
    }

    /// <summary>
    /// Binary files and other encodings fail here rather than as garbled values later: invalid UTF-8 and
    /// control characters other than tab and line ends are not text.
    /// </summary>
    private static string DecodeStrictly(ReadOnlySpan<byte> bytes, string file)
    {
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw new DataValidationException(file, LineAt(bytes, read), $"byte {read} is not valid UTF-8; expected a UTF-8 text file (is this a binary file?)");
            }

            for (var i = 0; i < written; i++)
            {
                var c = chars[i];
                if (char.IsControl(c) && c is not ('\t' or '\r' or '\n'))
                {
                    var offset = Encoding.UTF8.GetByteCount(chars.AsSpan(0, i));
                    throw new DataValidationException(file, LineAt(bytes, offset), $"control character U+{(int)c:X4} at byte {offset}; expected a text file (is this a binary file?)");
                }
            }

            return new string(chars, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static int LineAt(ReadOnlySpan<byte> bytes, int offset) => bytes[..Math.Min(offset, bytes.Length)].Count((byte)'\n') + 1;

    private static string Shorten(string value)
    {
        value = value.TrimEnd('\r', '\n');
        return value.Length <= 60 ? value : value[..57] + "...";
    }
}
