using Layercake.Batch.Chunks;
namespace Layercake.Batch;

/// <summary>A job's bad rows went past what it may set aside; the message names the first of them.</summary>
public sealed class TooManyRejectsException(long rejects, long rows, RejectLimit limit, IReadOnlyList<ScoreReject> first)
    : Exception($"{rejects:N0} of {rows:N0} rows read were rejected, more than the {limit} allowed; the first: " +
        string.Join("; ", first.Select(r => r.Describe())))
{
    public long Rejects { get; } = rejects;
    public RejectLimit Limit { get; } = limit;
    public IReadOnlyList<ScoreReject> First { get; } = first;
}
