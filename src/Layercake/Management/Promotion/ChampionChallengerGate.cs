using System.Globalization;
using Layercake.Pipelines;
using Layercake.Pipelines.Gates;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Management.Promotion;

/// <summary>
/// The promotion gate: the candidate's primary metric (mean across folds) must not fall short of the
/// champion's, the version live in the target environment, by more than the pipeline allows
/// (<c>gates.champion</c>), absolutely or relative to the champion, as MLflow's MetricThreshold does. With no
/// champion (the environment's first deployment) it passes and says there was no baseline.
/// </summary>
internal static class ChampionChallengerGate
{
    public static ChampionComparison Evaluate(ModelManifest challenger, ModelManifest? champion, ChampionGate gate) =>
        Evaluate(challenger.Signature.Task, challenger.PrimaryMetric, challenger.PrimaryMetricSummary.Mean, champion, gate);

    /// <summary>The same comparison for a candidate not yet packaged (Evaluate has only its cross-validation).</summary>
    public static ChampionComparison Evaluate(ModelTask task, string metric, double value, ModelManifest? champion, ChampionGate gate)
    {
        if (champion is null)
        {
            return new ChampionComparison(metric, value, null, null, 0, true,
                "no version is live there yet, so there is no baseline to compare with; passed");
        }

        if (champion.PrimaryMetric != metric || !champion.CrossValidation.TryGetValue(champion.Trainer, out var metrics)
            || !metrics.TryGetValue(metric, out var summary))
        {
            return new ChampionComparison(metric, value, null, champion.Version, 0, false,
                $"the champion {champion.Version} was not measured on {metric} (its primary metric is {champion.PrimaryMetric}), so the " +
                    $"two cannot be compared; refused")
            {
                Rule = "the two cannot be compared",
            };
        }

        var higherIsBetter = MetricCatalog.HigherIsBetter(task, metric);
        var improvement = higherIsBetter ? value - summary.Mean : summary.Mean - value;
        var allowed = Math.Max(gate.MaxAbsoluteDrop, gate.MaxRelativeDrop is { } relative ? relative * Math.Abs(summary.Mean) : 0);
        var passed = improvement >= -allowed - 1e-12;
        var rule = allowed == 0 ? "it must be at least as good"
            : string.Create(CultureInfo.InvariantCulture, $"it may fall short by at most {allowed:0.####}");
        return new ChampionComparison(metric, value, summary.Mean, champion.Version, allowed, passed,
            $"{rule}; {(passed ? "passed" : "refused")}")
        {
            Improvement = improvement,
            Rule = rule,
        };
    }
}
