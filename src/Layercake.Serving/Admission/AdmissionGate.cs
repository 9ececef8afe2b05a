using System.Globalization;
using System.Threading.RateLimiting;
using Layercake.Serving.Protocols;
using Layercake.Serving.Protocols.Responses;

namespace Layercake.Serving.Admission;

/// <summary>
/// Bounds the scoring requests in progress (TorchServe's job queue and Triton's max queue size do the same). Past the
/// bound a request waits in a short queue, for at most the queue time; past that, or pushed out of a full queue by a
/// newer request, it is answered at once with a 503 and <c>Retry-After</c>, before its body is read. Only scoring is
/// gated: health, metadata and /metrics are always answered.
/// </summary>
/// <remarks>
/// The queue serves the newest request first (the "adaptive LIFO" of Facebook's servers). In first-in-first-out order a
/// queue that stays full under overload makes every admitted request wait the whole queue time, so accepted latency
/// rises to the limit; newest first, an admitted request has waited only since the last place freed, and the requests
/// that age out are the ones whose callers have waited longest anyway. The short queue, not a hard bound alone, is what
/// lets a burst below capacity through: the batcher holds many requests at once by design, and a bound of 8 with no
/// queue shed most of a load at half the server's maximum (bench/security).
/// </remarks>
internal sealed class AdmissionGate : IAsyncDisposable
{
    private const string Message = "the server is at its limit of concurrent scoring requests; retry after the time in Retry-After";
    private readonly AdmissionOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrencyLimiter _places;
    private long _shed;
    private long _inFlight;

    public AdmissionGate(AdmissionOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        var max = options.MaxConcurrent ?? throw new ArgumentException("an admission gate needs a bound", nameof(options));
        _places = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = max,
            QueueLimit = options.QueueTimeout > TimeSpan.Zero ? options.QueueLength : 0,
            QueueProcessingOrder = QueueProcessingOrder.NewestFirst,
        });
    }

    /// <summary>Scoring requests answered with a 503 because the server was at its bound.</summary>
    public long Shed => Interlocked.Read(ref _shed);

    /// <summary>Scoring requests in progress now.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    public int? MaxConcurrent => _options.MaxConcurrent;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!IsScoring(context.Request))
        {
            await next(context);
            return;
        }

        var first = _places.AttemptAcquire();
        using var place = first.IsAcquired || _options.QueueTimeout <= TimeSpan.Zero ? first : await QueueAsync(context);
        if (place is null)
        {
            return; // The client left while waiting: there is nobody to answer.
        }

        if (!place.IsAcquired)
        {
            await RefuseAsync(context);
            return;
        }

        Interlocked.Increment(ref _inFlight);
        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Waits for a place for at most the queue time: a lease, acquired or not, or null if the client left.</summary>
    private async Task<RateLimitLease?> QueueAsync(HttpContext context)
    {
        using var limit = new CancellationTokenSource(_options.QueueTimeout, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, context.RequestAborted);
        try
        {
            return await _places.AcquireAsync(1, either.Token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            return _places.AttemptAcquire(); // Timed out: a place that freed at the last moment is still taken.
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task RefuseAsync(HttpContext context)
    {
        Interlocked.Increment(ref _shed);
        context.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var error = context.Request.Path.Equals("/invocations", StringComparison.OrdinalIgnoreCase)
            ? ResponseWriter.MlflowError(StatusCodes.Status503ServiceUnavailable, Message)
            : ResponseWriter.Error(StatusCodes.Status503ServiceUnavailable, Message);
        await error.ExecuteAsync(context);
    }

    public ValueTask DisposeAsync() => _places.DisposeAsync();

    internal static bool IsScoring(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Value is { } path
        && (path.Equals("/invocations", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/infer", StringComparison.OrdinalIgnoreCase));
}
