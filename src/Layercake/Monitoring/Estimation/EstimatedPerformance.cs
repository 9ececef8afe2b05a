namespace Layercake.Monitoring.Estimation;

/// <summary>
/// Confidence-based performance estimation over the period: whether the model's calibration makes the estimates
/// trustworthy (from the manifest's calibration check) and why, whether a calibration map was applied, the rows
/// estimated on, and the metrics.
/// </summary>
public sealed record EstimatedPerformance(bool Trustworthy, string Reason, bool Calibrated, long Rows,
    IReadOnlyList<EstimatedMetric> Metrics);
