using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Layercake.Batch.Chunks;
using Layercake.Development.Data;
using Layercake.Development.Data.Sources;
using Layercake.Development.Data.Tables;

namespace Layercake.Batch.Reading;

/// <summary>
/// Streams a CSV file chunk by chunk with Prepare's own rules (strict UTF-8, quoted fields with commas and line breaks,
/// LF or CRLF, blank lines skipped): memory holds a chunk, not the file. A malformed record is an error naming its
/// line, which fails the job before its output takes its name.
/// </summary>
internal sealed class CsvChunkReader : IChunkReader
{
    private readonly string _path;
    private readonly Stream _stream;
    private readonly StrictUtf8Reader _text;
    private readonly CsvParser _parser;

    private CsvChunkReader(string path, Stream stream, StrictUtf8Reader text, CsvParser parser, string[] header)
    {
        _path = path;
        _stream = stream;
        _text = text;
        _parser = parser;
        Header = header;
        Numeric = [.. header.Select(_ => false)];
    }

    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<bool> Numeric { get; }

    public static async Task<CsvChunkReader> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.SequentialScan | FileOptions.Asynchronous);
        var text = new StrictUtf8Reader(stream, path);
        var parser = new CsvParser(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            DetectColumnCountChanges = false,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.None,
            BadDataFound = args => throw new DataValidationException(
                path, args.Context.Parser?.RawRow ?? 0, "malformed CSV: a quote inside an unquoted field, or an unclosed quote"),
        });
        try
        {
            if (!await parser.ReadAsync().ConfigureAwait(false))
            {
                throw new DataValidationException(path, 1, "the file is empty; expected a header row and data rows");
            }

            cancellationToken.ThrowIfCancellationRequested();
            var header = parser.Record ?? [];
            var twice = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            return twice is null
                ? new CsvChunkReader(path, stream, text, parser, header)
                : throw new DataValidationException(path, 1, $"the header names column '{twice.Key}' twice; column names must be unique");
        }
        catch
        {
            parser.Dispose();
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async IAsyncEnumerable<InputChunk> ReadAsync(
        IReadOnlySet<int> needed, int chunkRows,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long first = 0;
        var (columns, lines) = New(needed, chunkRows);
        var count = 0;
        while (await _parser.ReadAsync().ConfigureAwait(false))
        {
            var line = _parser.RawRow - LineBreaksWithin(_parser.RawRecord);
            if (_parser.Count != Header.Count)
            {
                throw new DataValidationException(_path, line, $"expected {Header.Count} fields as in the header, found {_parser.Count}");
            }

            foreach (var c in needed)
            {
                columns[c]![count] = _parser[c];
            }

            lines[count++] = line;
            if (count == chunkRows)
            {
                yield return Chunk(first, count, columns, lines);
                first += count;
                count = 0;
                (columns, lines) = New(needed, chunkRows);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        if (count > 0)
        {
            yield return Chunk(first, count, [.. columns.Select(c => c?[..count])], lines[..count]);
        }
    }

    private (string?[]?[] Columns, int[] Lines) New(IReadOnlySet<int> needed, int rows)
    {
        var columns = new string?[]?[Header.Count];
        foreach (var c in needed)
        {
            columns[c] = new string?[rows];
        }

        return (columns, new int[rows]);
    }

    private static InputChunk Chunk(long first, int count, string?[]?[] columns, int[] lines) =>
        new(first, count, [.. columns.Select(c => c is null ? null : new ChunkColumn(null, c))], lines);

    // Line breaks inside the record's quoted fields, not the one that ends it (as Prepare counts them).
    private static int LineBreaksWithin(string raw) => raw.AsSpan().TrimEnd("\r\n").Count('\n');

    public async ValueTask DisposeAsync()
    {
        _parser.Dispose();
        _text.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
