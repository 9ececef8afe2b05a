using Layercake.Monitoring.Estimation;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Calibration;

namespace Layercake.Monitoring.Internal;

/// <summary>
/// A window's CBPE estimates as report rows: each with its ±3σ band (clipped to [0, 1]), the realised value on
/// the rows that had feedback, and the packaged gate on the same metric.
/// </summary>
internal static class PerformanceEstimation
{
    public static IReadOnlyList<EstimatedMetric> Metrics(WindowStats stats, ProbabilityCalibration calibration, ModelManifest manifest)
    {
        if (stats.Estimator is not { } estimator)
        {
            return [];
        }

        var realised = stats.Live.Metrics();
        var metrics = new List<EstimatedMetric>();
        foreach (var (name, (value, error)) in estimator.Estimate(calibration.Reference))
        {
            double? actual = realised.TryGetValue(name, out var r) ? r : null;
            var actualRows = stats.Live.Labelled;
            if (name == "auc")
            {
                actual = estimator.RealisedAuc();
                actualRows = estimator.RealisedAucRows;
            }

            var gate = manifest.Gates.FirstOrDefault(g => g.Metric == name);
            var band = BandWidth(error);
            metrics.Add(
                new EstimatedMetric(name, value, Math.Max(0, value - band), Math.Min(1, value + band), actual, actual is null ? 0
                : actualRows,
                gate?.Gate, gate is null || double.IsNaN(value) ? null : gate.IsMetBy(value)));
        }

        return metrics;
    }

    public static EstimatedPerformance Overall(WindowStats stats, ProbabilityCalibration calibration, ModelManifest manifest) =>
        new(calibration.Trustworthy, calibration.Reason, calibration.Maps.Count > 0, stats.Estimator?.Rows ?? 0,
            Metrics(stats, calibration, manifest));

    private static double BandWidth(double standardError) => double.IsNaN(standardError) ? 0
        : PerformanceEstimator.BandWidth * standardError;
}
