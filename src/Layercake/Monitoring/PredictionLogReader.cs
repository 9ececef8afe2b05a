using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Layercake.Monitoring;

/// <summary>
/// Streams the server's prediction log (JSON Lines, format in Layercake.Serving's PredictionLogLine): files in name
/// order, which is time order, through a fixed buffer, one reused <see cref="LogRow"/> per line. Memory does not
/// grow with the log. Lines older than <c>since</c> are skipped, and whole files that end before it are not opened.
/// </summary>
public sealed class PredictionLogReader
{
    public const string FilePrefix = "predictions-";
    public const string FileExtension = ".jsonl";
    private const int BufferSize = 1 << 20;

    private readonly byte[][] _numericNames;
    private readonly byte[][] _categoricalNames;
    private readonly bool _readRequestIds;
    private readonly Utf8StringCache _strings = new();

    public PredictionLogReader(IReadOnlyList<string> numericColumns, IReadOnlyList<string> categoricalColumns, bool readRequestIds)
    {
        _numericNames = numericColumns.Select(Encoding.UTF8.GetBytes).ToArray();
        _categoricalNames = categoricalColumns.Select(Encoding.UTF8.GetBytes).ToArray();
        _readRequestIds = readRequestIds;
    }

    /// <summary>
    /// The log files at <paramref name="path"/> (a file, or a folder searched recursively for predictions-*.jsonl) in
    /// time order. With <paramref name="since"/>, a file is left out when the next file started before it: all of its
    /// lines are older.
    /// </summary>
    public static IReadOnlyList<string> Files(string path, DateTimeOffset? since)
    {
        if (File.Exists(path))
        {
            return [Path.GetFullPath(path)];
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"No prediction log at {path}: it is neither a file nor a folder.", path);
        }

        var files = Directory.EnumerateFiles(path, FilePrefix + "*" + FileExtension, SearchOption.AllDirectories)
            .OrderBy(Path.GetFileName, StringComparer.Ordinal)
            .ToArray();
        if (since is not { } start)
        {
            return files;
        }

        var kept = new List<string>();
        for (var i = 0; i < files.Length; i++)
        {
            if (i + 1 < files.Length && StartOf(files[i + 1]) is { } next && next <= start)
            {
                continue;
            }

            kept.Add(files[i]);
        }

        return kept;
    }

    /// <summary>When a log file's first line was written, from its name; null for a name of another shape.</summary>
    public static DateTimeOffset? StartOf(string file)
    {
        var name = Path.GetFileName(file);
        const int length = 19; // yyyyMMddTHHmmssfffZ
        return name.Length >= FilePrefix.Length + length && name.StartsWith(FilePrefix, StringComparison.Ordinal)
            && DateTimeOffset.TryParseExact(name.AsSpan(FilePrefix.Length, length), "yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
    }

    public async Task<PredictionLogReadSummary> ReadAsync(IReadOnlyList<string> files, DateTimeOffset? since, Action<LogRow> onRow, CancellationToken cancellationToken)
    {
        var row = new LogRow(_numericNames.Length, _categoricalNames.Length);
        var counts = new Counts();
        var buffer = new byte[BufferSize];
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            var filled = 0;
            var lineNumber = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2); // a line longer than the buffer
                }

                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                filled += read;
                var consumed = ParseLines(buffer.AsSpan(0, filled), final: read == 0, file, ref lineNumber, row, since, onRow, counts);
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
                if (read == 0)
                {
                    break;
                }
            }
        }

        return new PredictionLogReadSummary(files.Count, counts.Lines, counts.Rows, counts.BeforeSince, counts.Unreadable, counts.FirstUnreadable, counts.Incomplete);
    }

    private int ParseLines(ReadOnlySpan<byte> data, bool final, string file, ref int lineNumber, LogRow row, DateTimeOffset? since, Action<LogRow> onRow, Counts counts)
    {
        var start = 0;
        while (start < data.Length)
        {
            var end = data[start..].IndexOf((byte)'\n');
            if (end < 0 && !final)
            {
                break;
            }

            var line = end < 0 ? data[start..] : data.Slice(start, end);
            start = end < 0 ? data.Length : start + end + 1;
            lineNumber++;
            if (line.Trim(" \r\t"u8).IsEmpty)
            {
                continue;
            }

            counts.Lines++;
            row.Reset();
            string? problem;
            try
            {
                problem = Parse(line, row);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                problem = ex.Message;
            }

            if (problem is not null)
            {
                if (end < 0)
                {
                    counts.Incomplete++;
                    continue;
                }

                counts.Unreadable++;
                counts.FirstUnreadable ??= $"{file}:{lineNumber}: {problem}";
                continue;
            }

            if (since is { } start0 && row.Time < start0)
            {
                counts.BeforeSince++;
                continue;
            }

            counts.Rows++;
            onRow(row);
        }

        return start;
    }

    private string? Parse(ReadOnlySpan<byte> line, LogRow row)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return "not a JSON object";
        }

        var hasTime = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("inputs"u8))
            {
                reader.Read();
                ReadInputs(ref reader, row);
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                reader.Read();
                ReadOutputs(ref reader, row);
            }
            else if (reader.ValueTextEquals("time"u8))
            {
                reader.Read();
                row.Time = reader.GetDateTimeOffset();
                hasTime = true;
            }
            else if (reader.ValueTextEquals("request_id"u8))
            {
                reader.Read();
                row.RequestId = _readRequestIds && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("row"u8))
            {
                reader.Read();
                row.Row = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                row.Model = _strings.Get(ref reader);
            }
            else if (reader.ValueTextEquals("version"u8))
            {
                reader.Read();
                row.Version = _strings.Get(ref reader);
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                row.Status = reader.GetInt32();
                row.Rejected = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.BytesConsumed < line.TrimEnd("\r "u8).Length)
        {
            return "the JSON object is not complete";
        }

        return hasTime ? null : "no 'time'";
    }

    private void ReadInputs(ref Utf8JsonReader reader, LogRow row)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        // The server writes the columns in the same order every time, so the next column is usually the next name.
        var numericGuess = 0;
        var categoricalGuess = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var numeric = Find(ref reader, _numericNames, ref numericGuess);
            var categorical = numeric < 0 ? Find(ref reader, _categoricalNames, ref categoricalGuess) : -1;
            reader.Read();
            if (numeric >= 0 && reader.TokenType == JsonTokenType.Number)
            {
                row.Numbers[numeric] = reader.GetDouble();
            }
            else if (categorical >= 0 && reader.TokenType == JsonTokenType.String)
            {
                row.Categories[categorical] = _strings.Get(ref reader);
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }
    }

    private void ReadOutputs(ref Utf8JsonReader reader, LogRow row)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("label"u8))
            {
                reader.Read();
                row.PredictedLabel = reader.TokenType == JsonTokenType.String ? _strings.Get(ref reader) : null;
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                row.PredictedValue = reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : double.NaN;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static int Find(ref Utf8JsonReader reader, byte[][] names, ref int guess)
    {
        for (var k = 0; k < names.Length; k++)
        {
            var i = (guess + k) % names.Length;
            if (reader.ValueTextEquals(names[i]))
            {
                guess = i + 1;
                return i;
            }
        }

        return -1;
    }

    private sealed class Counts
    {
        public long Lines;
        public long Rows;
        public long BeforeSince;
        public long Unreadable;
        public long Incomplete;
        public string? FirstUnreadable;
    }
}
