using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Layercake.Monitoring.Internal;
using Layercake.Monitoring.Logs.Internal;
using Layercake.Runtime.PredictionLog;

namespace Layercake.Monitoring.Logs;

/// <summary>
/// Streams the server's prediction log (JSON Lines, names in <see cref="PredictionLogFields"/>; or a file Score wrote,
/// through <see cref="ScoringOutputLog"/>): files in name
/// order, which is time order, through a fixed buffer, one reused <see cref="LogRow"/> per line. Memory does not
/// grow with the log. Lines older than <c>since</c> are skipped, and whole files that end before it are not opened.
/// </summary>
internal sealed class PredictionLogReader
{
    private const int BufferSize = 1 << 20;

    private readonly byte[][] _numericNames;
    private readonly byte[][] _categoricalNames;
    private readonly byte[][] _classNames;
    private readonly bool _readRequestIds;
    private readonly IReadOnlyList<DateInput> _dates;
    private readonly HashSet<string> _numeric;

    /// <param name="classes">Classes whose predicted probabilities to read, into <see cref="LogRow.Numbers"/> after the numeric columns;
    /// none to skip them.</param>
    /// <param name="dates">Date inputs whose raw strings fill their parts' numeric slots.</param>
    public PredictionLogReader(IReadOnlyList<string> numericColumns, IReadOnlyList<string> categoricalColumns, bool readRequestIds,
        IReadOnlyList<string>? classes = null, IReadOnlyList<DateInput>? dates = null)
    {
        _dates = dates ?? [];
        _numericNames = numericColumns.Select(Encoding.UTF8.GetBytes).ToArray();
        _numeric = new HashSet<string>(numericColumns, StringComparer.Ordinal);
        _categoricalNames = categoricalColumns.Select(Encoding.UTF8.GetBytes).ToArray();
        _classNames = (classes ?? []).Select(Encoding.UTF8.GetBytes).ToArray();
        _readRequestIds = readRequestIds;
    }

    private int NumberSlots => _numericNames.Length + _classNames.Length;

    /// <summary>
    /// The log files at <paramref name="path"/> (a file, or a folder searched recursively for predictions-*.jsonl) in
    /// time order. With <paramref name="since"/>, a file is left out when the next file of the same server started
    /// before it: all of its lines are older. (Several servers write to one volume, during a switch or as replicas, so
    /// another server's next file says nothing about this one's.)
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

        var files = Directory.EnumerateFiles(path, PredictionLogFileName.SearchPattern, SearchOption.AllDirectories)
            .OrderBy(Path.GetFileName, StringComparer.Ordinal)
            .ToArray();
        if (since is not { } start)
        {
            return files;
        }

        var kept = new List<string>();
        for (var i = 0; i < files.Length; i++)
        {
            var server = ServerOf(files[i]);
            var nextOfServer = files.Skip(i + 1).FirstOrDefault(f => ServerOf(f) == server);
            if (nextOfServer is not null && PredictionLogFileName.OpenedAt(nextOfServer) is { } next && next <= start)
            {
                continue;
            }

            kept.Add(files[i]);
        }

        return kept;
    }

    /// <summary>The server part of a log file's name (after the time); the whole name for a name of another shape.</summary>
    private static string ServerOf(string file) => PredictionLogFileName.InstanceOf(file) ?? Path.GetFileNameWithoutExtension(file);

    /// <summary>
    /// Reads the files in order and calls <paramref name="onRow"/> for each row at or after <paramref name="since"/>,
    /// on one thread, in file and line order. Blocks of lines are parsed in parallel (one per processor, a few blocks
    /// ahead at most), so memory stays bounded and the order, and so every sample, stays the same.
    /// </summary>
    public async Task<PredictionLogReadSummary> ReadAsync(IReadOnlyList<string> files, DateTimeOffset? since, Action<LogRow> onRow,
        CancellationToken cancellationToken)
    {
        var row = new LogRow(NumberSlots, _categoricalNames.Length);
        var counts = new Counts();
        var parsers = new ConcurrentBag<LogLineParser>();
        var chunks = new ConcurrentBag<ParsedChunk>();
        var inFlight = new Queue<Task<ParsedChunk>>();
        var ahead = Math.Max(2, Environment.ProcessorCount * 2);
        var buffer = new byte[BufferSize];

        void Deliver(ParsedChunk chunk)
        {
            Replay(chunk, row, since, onRow, counts);
            chunks.Add(chunk);
        }

        foreach (var file in files)
        {
            await using var stream = Open(file, cancellationToken);
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
                var end = read == 0 ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                if (end > 0)
                {
                    lineNumber = Enqueue(buffer, end, file, lineNumber, inFlight, parsers, chunks);
                    Buffer.BlockCopy(buffer, end, buffer, 0, filled - end);
                    filled -= end;
                }

                while (inFlight.Count >= ahead)
                {
                    Deliver(await inFlight.Dequeue().ConfigureAwait(false));
                }

                if (read == 0)
                {
                    break;
                }
            }
        }

        while (inFlight.Count > 0)
        {
            Deliver(await inFlight.Dequeue().ConfigureAwait(false));
        }

        return new PredictionLogReadSummary(files.Count, counts.Lines, counts.Rows, counts.BeforeSince, counts.Unreadable,
            counts.FirstUnreadable, counts.Incomplete);
    }

    /// <summary>A log file, or a file Score wrote as the log lines the server would have written for its rows.</summary>
    private Stream Open(string file, CancellationToken cancellationToken) => ScoringOutputLog.Is(file)
        ? ScoringOutputLog.Open(file, _numeric, cancellationToken)
        : new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1,
            FileOptions.SequentialScan | FileOptions.Asynchronous);

    /// <summary>Queues the whole lines at the buffer's start for a parallel parse; returns the line number after them.</summary>
    private int Enqueue(
        byte[] buffer, int end, string file, int firstLine, Queue<Task<ParsedChunk>> inFlight, ConcurrentBag<LogLineParser> parsers,
        ConcurrentBag<ParsedChunk> chunks)
    {
        var block = ArrayPool<byte>.Shared.Rent(end);
        Buffer.BlockCopy(buffer, 0, block, 0, end);
        inFlight.Enqueue(Task.Run(() => Parse(block, end, file, firstLine, parsers, chunks)));
        return firstLine + buffer.AsSpan(0, end).Count((byte)'\n');
    }

    private ParsedChunk Parse(byte[] block, int length, string file, int firstLine, ConcurrentBag<LogLineParser> parsers,
        ConcurrentBag<ParsedChunk> chunks)
    {
        var parser = parsers.TryTake(out var p) ? p
            : new LogLineParser(_numericNames, _categoricalNames, _readRequestIds, _classNames, _dates);
        var chunk = chunks.TryTake(out var c) ? c : new ParsedChunk(NumberSlots, _categoricalNames.Length);
        var row = new LogRow(NumberSlots, _categoricalNames.Length);
        chunk.Clear();
        chunk.File = file;
        try
        {
            var data = block.AsSpan(0, length);
            var start = 0;
            var lineNumber = firstLine;
            while (start < data.Length)
            {
                var end = data[start..].IndexOf((byte)'\n');
                var line = end < 0 ? data[start..] : data.Slice(start, end);
                start = end < 0 ? data.Length : start + end + 1;
                lineNumber++;
                if (line.Trim(" \r\t"u8).IsEmpty)
                {
                    continue;
                }

                var problem = parser.TryParse(line, row);
                var kind = problem is null ? ParsedChunk.LineKind.Row : end < 0 ? ParsedChunk.LineKind.Incomplete
                    : ParsedChunk.LineKind.Unreadable;
                chunk.Add(row, kind, problem, lineNumber);
            }

            return chunk;
        }
        finally
        {
            parsers.Add(parser);
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private static void Replay(ParsedChunk chunk, LogRow row, DateTimeOffset? since, Action<LogRow> onRow, Counts counts)
    {
        for (var i = 0; i < chunk.Count; i++)
        {
            counts.Lines++;
            switch (chunk.KindOf(i))
            {
                case ParsedChunk.LineKind.Incomplete:
                    counts.Incomplete++;
                    continue;
                case ParsedChunk.LineKind.Unreadable:
                    counts.Unreadable++;
                    if (counts.FirstUnreadable is null)
                    {
                        var (line, problem) = chunk.ProblemOf(i);
                        counts.FirstUnreadable = $"{chunk.File}:{line}: {problem}";
                    }

                    continue;
            }

            chunk.CopyTo(i, row);
            if (since is { } start && row.Time < start)
            {
                counts.BeforeSince++;
                continue;
            }

            counts.Rows++;
            onRow(row);
        }
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
