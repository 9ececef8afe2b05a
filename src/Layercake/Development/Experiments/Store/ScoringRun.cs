namespace Layercake.Development.Experiments.Store;

/// <summary>
/// What a batch-scoring run wrote, beside the version (<see cref="ExperimentRun.RegisteredVersion"/>) and the input
/// (<see cref="ExperimentRun.DataFile"/>, its sha256 and rows) its run records.
/// </summary>
public sealed record ScoringRun(string Output, string? OutputSha256, long Scored, long Rejects, double Seconds)
{
    public double RowsPerSecond(long rows) => Seconds > 0 ? rows / Seconds : 0;
}
