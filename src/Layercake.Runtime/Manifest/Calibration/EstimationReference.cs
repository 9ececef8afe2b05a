namespace Layercake.Runtime.Manifest.Calibration;

/// <summary>
/// NannyML's sampling-error components from the reference (the out-of-fold predictions), so a window of n rows
/// gets a standard error without the reference rows: accuracy σ/√n with σ the standard deviation of per-row
/// correctness; per class the variance of the observation-level F1 and recall terms with the share of rows they
/// come from (σ = √(Σ var/(n·share))/k over k classes); for binary AUC the Mann–Whitney component's σ and the
/// positive share (σ/√(n·share)).
/// </summary>
public sealed record EstimationReference(
    long Rows,
    double AccuracyStd,
    IReadOnlyList<double> F1Variance,
    IReadOnlyList<double> F1Share,
    IReadOnlyList<double> RecallVariance,
    IReadOnlyList<double> RecallShare,
    double? AucStd,
    double? AucShare);
