using Layercake.Runtime.Scoring;

namespace Layercake.Serving.PredictionLog;

/// <summary>What the endpoints call after answering: offers the request to the log when one is configured.</summary>
internal sealed class PredictionLogging(PredictionLogWriter? writer, TimeProvider time)
{
    public void Predicted(HttpContext context, IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, ScoredBatch scored) =>
        writer?.Offer(new PredictionLogEntry(context.TraceIdentifier, time.GetUtcNow(), rows, scored));

    public void Rejected(HttpContext context, int status, string error) =>
        writer?.Offer(PredictionLogEntry.Rejected(context.TraceIdentifier, time.GetUtcNow(), status, error));
}
