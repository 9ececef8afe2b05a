using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;

namespace Layercake.Serving.PredictionLog;

/// <summary>
/// One request as it goes into the prediction log: its rows as received (as the columns the request was read into) and what the model
/// answered, or, for a
/// request the server turned down, the status and the reason. Serialised on the writer's thread, not the request's.
/// </summary>
internal sealed record PredictionLogEntry(
    string RequestId,
    DateTimeOffset Time,
    RawColumns? Rows,
    ScoredBatch? Scored,
    int Status = 200,
    string? Error = null,
    string? Reason = null,
    int RejectedRows = 0)
{
    /// <summary>Lines this entry becomes: one per row scored, or one for a rejection.</summary>
    public int LineCount => Scored?.RowCount ?? 1;

    public static PredictionLogEntry Rejected(string requestId, DateTimeOffset time, int status, string error, string reason, int rows) =>
        new(requestId, time, null, null, status, error, reason, rows);
}
