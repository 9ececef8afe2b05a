using System.Buffers;
using System.Threading.Channels;
using Layercake.Runtime.Containers;
using Layercake.Runtime.PredictionLog;

namespace Layercake.Serving.PredictionLog;

/// <summary>
/// Appends predictions to JSON Lines files from a background task. Requests only offer their entry to a bounded
/// queue (<see cref="Offer"/> never waits): when the queue is full the entry is dropped and counted, so a slow or
/// failing disk costs predictions in the log, never latency or availability. Files rotate by size and by clock
/// period; a directory that cannot be written is reported in the server's log, retried every 30 s, and counted.
/// </summary>
internal sealed class PredictionLogWriter : IAsyncDisposable
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private readonly PredictionLogOptions _options;
    private readonly string _model;
    private readonly string _version;
    private readonly IReadOnlyList<string> _classes;
    private readonly TimeProvider _time;
    private readonly Serilog.ILogger _logger;
    private readonly Func<string, Stream> _open;
    private readonly Channel<PredictionLogEntry> _queue;
    private readonly string _instance = Guid.NewGuid().ToString("N")[..8];
    private readonly Task _writing;
    private Stream? _file;
    private string? _fileName;
    private long _fileBytes;
    private long _filePeriod;
    private DateTimeOffset _lastOpened;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private long _written;
    private long _dropped;
    private long _failed;
    private long _queuedRows;

    public PredictionLogWriter(PredictionLogOptions options, string model, string version, IReadOnlyList<string> classes, TimeProvider time,
        Serilog.ILogger logger)
        : this(options, model, version, classes, time, logger, OpenAppend)
    {
    }

    /// <param name="open">Opens a new log file; tests pass a stream that stalls or fails.</param>
    internal PredictionLogWriter(PredictionLogOptions options, string model, string version, IReadOnlyList<string> classes,
        TimeProvider time, Serilog.ILogger logger, Func<string, Stream> open)
    {
        _options = options;
        _model = model;
        _version = version;
        _classes = classes;
        _time = time;
        _logger = logger;
        _open = open;
        _queue = Channel.CreateBounded<PredictionLogEntry>(new BoundedChannelOptions(options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite this means "refuse", never "wait"
            SingleReader = true,
        });
        _writing = Task.Run(WriteAllAsync);
        logger.Information(
            "Logging predictions to {Directory} (queue {Capacity} requests or {MaxRows} rows, files up to {MaxBytes} bytes, new file " +
            "every {Rotate}, sample rate {Sample})",
            options.Directory, options.Capacity, options.MaxQueuedRows, options.MaxFileBytes, options.RotateEvery, options.SampleRate);
    }

    /// <summary>Lines (rows or rejections) written to disk.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Lines dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Lines lost because the file could not be opened or written.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The file being written now, if any.</summary>
    public string? CurrentFile => _fileName;

    /// <summary>Offers an entry for the log, sampled; never blocks.</summary>
    public void Offer(PredictionLogEntry entry)
    {
        if (_options.SampleRate < 1 && Random.Shared.NextDouble() >= _options.SampleRate)
        {
            return;
        }

        if (Interlocked.Add(ref _queuedRows, entry.LineCount) > _options.MaxQueuedRows || !_queue.Writer.TryWrite(entry))
        {
            Interlocked.Add(ref _queuedRows, -entry.LineCount);
            Interlocked.Add(ref _dropped, entry.LineCount);
        }
    }

    /// <summary>Stops taking entries and waits, at most <paramref name="timeout"/>, for the queue to reach the disk.</summary>
    public async Task CompleteAsync(TimeSpan timeout)
    {
        _queue.Writer.TryComplete();
        try
        {
            await _writing.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.Error("The prediction log did not finish writing within {Timeout}; entries still queued are lost", timeout);
        }
    }

    public async ValueTask DisposeAsync() => await CompleteAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);

    private async Task WriteAllAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var entry))
                {
                    Interlocked.Add(ref _queuedRows, -entry.LineCount);
                    buffer.ResetWrittenCount();
                    PredictionLogLine.Write(buffer, entry, _model, _version, _classes);
                    await AppendAsync(buffer.WrittenMemory, entry).ConfigureAwait(false);
                }

                // The queue is empty: push what is buffered to the file, so a reader (or a crash) loses little.
                await FlushAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    private async Task AppendAsync(ReadOnlyMemory<byte> lines, PredictionLogEntry entry)
    {
        var period = entry.Time.UtcTicks / _options.RotateEvery.Ticks;
        if (_file is not null && (period != _filePeriod || (_fileBytes > 0 && _fileBytes + lines.Length > _options.MaxFileBytes)))
        {
            await CloseAsync().ConfigureAwait(false);
        }

        if (_file is null && !Open(entry.Time, period))
        {
            Interlocked.Add(ref _failed, entry.LineCount);
            return;
        }

        try
        {
            await _file!.WriteAsync(lines).ConfigureAwait(false);
            _fileBytes += lines.Length;
            Interlocked.Add(ref _written, entry.LineCount);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Add(ref _failed, entry.LineCount);
            _logger.Error("Cannot write the prediction log {File}: {Message}; predictions are not logged until a new file can be opened",
                _fileName, ex.Message);
            await CloseAsync().ConfigureAwait(false);
            _retryAt = _time.GetUtcNow() + RetryAfterFailure;
        }
    }

    private bool Open(DateTimeOffset time, long period)
    {
        if (_time.GetUtcNow() < _retryAt)
        {
            return false;
        }

        // Names must keep increasing: two files opened in the same millisecond (a burst of size rotations), or a
        // clock stepped back, take the millisecond after the previous file's.
        var opened = new DateTimeOffset(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        if (_fileName is not null && opened <= _lastOpened)
        {
            opened = _lastOpened.AddMilliseconds(1);
        }

        var path = Path.Combine(_options.Directory, PredictionLogFileName.For(opened, _instance));
        try
        {
            Directory.CreateDirectory(_options.Directory);
            _file = _open(path);
            _fileName = path;
            _lastOpened = opened;
            _fileBytes = 0;
            _filePeriod = period;
            DeleteExpired(time);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _retryAt = _time.GetUtcNow() + RetryAfterFailure;
            _logger.Error(
                "Cannot open a prediction log file in {Directory}: {Message}. Predictions are not logged (retrying in {Retry}); is it a " +
                "volume the server's user ({UserId} in the image) can write?",
                _options.Directory, ex.Message, RetryAfterFailure, ServingContainer.UserId);
            return false;
        }
    }

    /// <summary>
    /// Retention: files whose name says they were opened before the keep period are deleted, whichever server
    /// wrote them (servers share the volume). A file that cannot be deleted is left for the next rotation.
    /// </summary>
    private void DeleteExpired(DateTimeOffset now)
    {
        if (_options.KeepFor is not { } keep)
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(_options.Directory, PredictionLogFileName.SearchPattern))
        {
            if (PredictionLogFileName.OpenedAt(file) is { } opened && opened < now - keep && file != _fileName)
            {
                try
                {
                    File.Delete(file);
                    _logger.Information("Deleted the prediction log {File}: older than {Days} days", Path.GetFileName(file),
                        keep.TotalDays);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    _logger.Warning("Could not delete the expired prediction log {File}: {Message}", file, ex.Message);
                }
            }
        }
    }

    private async Task FlushAsync()
    {
        if (_file is null)
        {
            return;
        }

        try
        {
            await _file.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.Error("Cannot flush the prediction log {File}: {Message}", _fileName, ex.Message);
            await CloseAsync().ConfigureAwait(false);
        }
    }

    private async Task CloseAsync()
    {
        if (_file is null)
        {
            return;
        }

        try
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.Error("Cannot close the prediction log {File}: {Message}", _fileName, ex.Message);
        }

        _file = null;
    }

    private static FileStream OpenAppend(string path) =>
        new(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
}
