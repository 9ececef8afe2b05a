using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;

namespace Layercake.Serving.PredictionLog;

/// <summary>What the endpoints call after answering: offers the request to the log when one is configured.</summary>
internal sealed class PredictionLogging(PredictionLogWriter? writer, TimeProvider time)
{
    public void Predicted(HttpContext context, RawColumns rows, ScoredBatch scored) =>
        writer?.Offer(new PredictionLogEntry(context.TraceIdentifier, time.GetUtcNow(), rows, scored));

    /// <param name="reason">One of <see cref="Runtime.PredictionLog.RejectionReasons"/>.</param>
    /// <param name="rows">How many rows the request held, as far as the server read it; 1 when it could not tell.</param>
    public void Rejected(HttpContext context, int status, string error, string reason, int rows) =>
        writer?.Offer(PredictionLogEntry.Rejected(context.TraceIdentifier, time.GetUtcNow(), status, error, reason, rows));
}
