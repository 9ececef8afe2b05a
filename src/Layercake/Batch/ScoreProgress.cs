namespace Layercake.Batch;

/// <summary>How far a job is: rows read and written so far, rejects, and the time since it started.</summary>
public sealed record ScoreProgress(long RowsRead, long RowsScored, long Rejects, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsRead / Elapsed.TotalSeconds : 0;
}
