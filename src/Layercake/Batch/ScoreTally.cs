using Layercake.Batch.Chunks;
namespace Layercake.Batch;

/// <summary>
/// A job's running totals as chunks are written: rows, rejects (kept in input order for the rejects file), the
/// predictions' summary, and progress reported at most every <see cref="ProgressInterval"/>.
/// </summary>
internal sealed class ScoreTally(RejectLimit limit, IProgress<ScoreProgress>? progress, TimeProvider time)
{
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);
    private readonly long _started = time.GetTimestamp();
    private long _lastReport;

    public long Rows { get; private set; }
    public long Scored { get; private set; }
    public List<ScoreReject> Rejects { get; } = [];
    public ScoreSummary Summary { get; } = new();
    public TimeSpan Elapsed => time.GetElapsedTime(_started);

    /// <summary>Counts a written chunk; throws once the rejects are past a count limit, so a hopeless job stops early.</summary>
    public void Add(ScoredChunk chunk)
    {
        Rows += chunk.Input.Count;
        Scored += chunk.Rows.Length;
        Rejects.AddRange(chunk.Rejects);
        Summary.Add(chunk.Scored);
        if (limit.ExceededBy(Rejects.Count))
        {
            throw TooMany();
        }

        var now = time.GetTimestamp();
        if (progress is not null && (_lastReport == 0 || time.GetElapsedTime(_lastReport, now) >= ProgressInterval))
        {
            _lastReport = now;
            Report();
        }
    }

    /// <summary>The final figures, reported whatever the interval.</summary>
    public void Report() => progress?.Report(new ScoreProgress(Rows, Scored, Rejects.Count, Elapsed));

    /// <summary>Throws when the rejects, now that every row is read, are past the limit.</summary>
    public void CheckAtEnd()
    {
        if (limit.ExceededAtEnd(Rejects.Count, Rows))
        {
            throw TooMany();
        }
    }

    private TooManyRejectsException TooMany() => new(Rejects.Count, Rows, limit, [.. Rejects.Take(5)]);
}
