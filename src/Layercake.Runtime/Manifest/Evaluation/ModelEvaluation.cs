namespace Layercake.Runtime.Manifest.Evaluation;

/// <summary>
/// How honest the version's figures are: what a constant scores on the same folds (the baseline) and the
/// winner's lift over it, the class it serves worst, how well its probabilities are calibrated, and which input
/// columns it relies on. Absent from manifests written before Layercake evaluated against a baseline.
/// </summary>
public sealed record ModelEvaluation(
    string Baseline,
    IReadOnlyDictionary<string, MetricSummary> BaselineMetrics,
    double Lift,
    string? WeakestClass,
    double? WeakestClassRecall,
    double? ExpectedCalibrationError,
    IReadOnlyList<ColumnImportance> Importance);
