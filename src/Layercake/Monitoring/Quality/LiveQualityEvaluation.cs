using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Monitoring.Quality;

/// <summary>
/// Live quality from the rows that had feedback: the task's metrics beside the manifest's cross-validated estimate,
/// and whether each meets the gate the model was packaged under.
/// </summary>
internal static class LiveQualityEvaluation
{
    public static LiveQuality Evaluate(LiveQualityStats stats, long unmatched, ModelManifest manifest, int minimumRows)
    {
        var values = stats.Metrics();
        var cv = manifest.CrossValidation.GetValueOrDefault(manifest.Trainer);
        var metrics = new List<LiveMetric>();
        foreach (var name in MetricNames(manifest.Signature.Task))
        {
            if (!values.TryGetValue(name, out var value))
            {
                continue;
            }

            var estimate = cv?.GetValueOrDefault(name);
            var gate = manifest.Gates.FirstOrDefault(g => g.Metric == name);
            metrics.Add(
                new LiveMetric(name, value, estimate?.Mean, estimate?.StdDev, gate?.Gate, gate is null ? null : gate.IsMetBy(value)));
        }

        return new LiveQuality(stats.Labelled, unmatched, stats.Unusable, minimumRows, metrics);
    }

    private static IEnumerable<string> MetricNames(ModelTask task) => task switch
    {
        ModelTask.Binary => ["accuracy"],
        ModelTask.Multiclass => ["macro_accuracy", "micro_accuracy"],
        _ => ["rmse", "mae"],
    };
}
