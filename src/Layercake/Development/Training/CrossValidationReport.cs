namespace Layercake.Development.Training;

/// <summary>
/// <c>cv.json</c>: every candidate's folds, the primary metric and which way is better, and the winner,
/// chosen by the best mean of the primary metric.
/// </summary>
public sealed record CrossValidationReport(
    string Pipeline,
    string Task,
    int Folds,
    int Seed,
    string PrimaryMetric,
    bool HigherIsBetter,
    IReadOnlyList<CandidateResult> Candidates,
    string Winner,
    IReadOnlyList<string> Classes)
{
    public CandidateResult WinnerResult => Candidates.First(c => c.Name == Winner);

    /// <summary>Candidates best first by the primary metric's mean; ties keep the pipeline's order.</summary>
    /// <remarks>A candidate whose primary metric is NaN (a degenerate fold) ranks last, whichever way is better.</remarks>
    public IReadOnlyList<CandidateResult> Ranked()
    {
        var ranked = HigherIsBetter
            ? Candidates.OrderByDescending(c => c.Metrics[PrimaryMetric].Mean)
            : Candidates.OrderBy(c => c.Metrics[PrimaryMetric].Mean);
        return ranked.OrderBy(c => double.IsNaN(c.Metrics[PrimaryMetric].Mean)).ToArray();
    }
}
