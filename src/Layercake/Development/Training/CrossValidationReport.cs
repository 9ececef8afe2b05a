using Layercake.Development.Metrics;

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
    /// <summary>The constant every candidate must beat, cross-validated on the same folds; never the winner.</summary>
    public CandidateResult? Baseline { get; init; }

    /// <summary>What the baseline predicts (majority class, training mean or median).</summary>
    public string? BaselineDescription { get; init; }

    /// <summary>The winner's permutation importance on its out-of-fold data, most important first.</summary>
    public IReadOnlyList<FeatureImportance> Importance { get; init; } = [];

    /// <summary>Where the out-of-fold predictions are kept (relative to the Train folder), to recompute any figure.</summary>
    public string? OutOfFoldFolder { get; init; }

    /// <summary>How long cross-validation took, and how much of it went to the honest-evaluation figures.</summary>
    public TrainingTiming? Timing { get; init; }

    /// <summary>
    /// Better-ranked candidates that could not be packaged (each a one-line reason); <see cref="Winner"/> is then the
    /// best candidate that exports to ONNX and scores like ML.NET, not the best by the metric.
    /// </summary>
    public IReadOnlyList<string> PassedOver { get; init; } = [];

    /// <summary>With <c>cv_sample</c>: the rows the folds were cut from (the final model trained on all rows).</summary>
    public int? CvSampleRows { get; init; }

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
