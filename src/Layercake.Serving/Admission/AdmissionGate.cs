using System.Globalization;
using Layercake.Serving.Protocols;
using Layercake.Serving.Protocols.Responses;

namespace Layercake.Serving.Admission;

/// <summary>
/// Bounds the scoring requests in progress (TorchServe's job queue and Triton's max queue size do the same): past the
/// bound, a new scoring request waits at most the queue time, then is answered at once with a 503 and
/// <c>Retry-After</c>, before its body is read, so the work already admitted keeps its latency and the server recovers
/// as soon as the load drops. Only scoring is gated: health, metadata and /metrics are always answered.
/// </summary>
internal sealed class AdmissionGate(AdmissionOptions options)
{
    private const string Message = "the server is at its limit of concurrent scoring requests; retry after the time in Retry-After";
    private readonly SemaphoreSlim? _places = options.MaxConcurrent is { } max ? new SemaphoreSlim(max, max) : null;
    private long _shed;
    private long _inFlight;

    /// <summary>Scoring requests answered with a 503 because the server was at its bound.</summary>
    public long Shed => Interlocked.Read(ref _shed);

    /// <summary>Scoring requests in progress now.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    public int? MaxConcurrent => options.MaxConcurrent;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!IsScoring(context.Request))
        {
            await next(context);
            return;
        }

        bool admitted;
        try
        {
            admitted = _places is null || _places.Wait(0)
                || (options.QueueTimeout > TimeSpan.Zero && await _places.WaitAsync(options.QueueTimeout, context.RequestAborted));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // The client left while waiting: there is nobody to answer.
        }

        if (!admitted)
        {
            Interlocked.Increment(ref _shed);
            context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            var error = context.Request.Path.Equals("/invocations", StringComparison.OrdinalIgnoreCase)
                ? ResponseWriter.MlflowError(StatusCodes.Status503ServiceUnavailable, Message)
                : ResponseWriter.Error(StatusCodes.Status503ServiceUnavailable, Message);
            await error.ExecuteAsync(context);
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
            _places?.Release();
        }
    }

    internal static bool IsScoring(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Value is { } path
        && (path.Equals("/invocations", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/infer", StringComparison.OrdinalIgnoreCase));
}
