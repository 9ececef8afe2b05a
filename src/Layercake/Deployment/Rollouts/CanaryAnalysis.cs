using System.Globalization;
using Layercake.Pipelines.Strategies;
using Layercake.Shared.Statistics;

namespace Layercake.Deployment.Rollouts;

/// <summary>
/// The checks of one window, from what the stable and the canary version's own servers counted in it: the canary's
/// 5xx share, its p99 (absolute when a limit is set, and against the stable version's), and its predicted classes
/// against the stable version's by the chi-square test of homogeneity Monitor uses for categorical drift.
/// A window in which the canary answered fewer than <c>min_requests</c> decides nothing and fails as "traffic".
/// </summary>
internal static class CanaryAnalysis
{
    public static IReadOnlyList<RolloutCheck> Check(RolloutAnalysisSpec spec, VersionMetrics stable, VersionMetrics canary)
    {
        if (canary.Requests < spec.MinRequests)
        {
            return [new RolloutCheck("traffic", false, $"{canary.Requests} requests",
                $">= {spec.MinRequests} (not enough traffic to decide)")];
        }

        var checks = new List<RolloutCheck>
        {
            new("traffic", true, $"{canary.Requests} requests", $">= {spec.MinRequests}"),
        };
        var errorRate = (double)canary.Errors / canary.Requests;
        checks.Add(new RolloutCheck("error rate", errorRate <= spec.MaxErrorRate, Percent(errorRate), $"<= {Percent(spec.MaxErrorRate)}"));

        var canaryP99 = canary.Quantile(0.99);
        if (spec.MaxP99 is { } maxP99 && canaryP99 is { } p99)
        {
            checks.Add(new RolloutCheck("p99", p99 <= maxP99, Ms(p99), $"<= {Ms(maxP99)}"));
        }

        if (canaryP99 is { } canaryLatency && stable.Quantile(0.99) is { } stableLatency && stableLatency > TimeSpan.Zero)
        {
            var ratio = canaryLatency / stableLatency;
            checks.Add(new RolloutCheck("p99 ratio", ratio <= spec.MaxP99Ratio,
                $"{ratio.ToString("0.00", CultureInfo.InvariantCulture)} ({Ms(canaryLatency)} vs {Ms(stableLatency)})",
                $"<= {spec.MaxP99Ratio.ToString("0.##", CultureInfo.InvariantCulture)}"));
        }

        if (spec.PredictionDrift && PredictionDrift(spec, stable, canary) is { } drift)
        {
            checks.Add(drift);
        }

        return checks;
    }

    private static RolloutCheck? PredictionDrift(RolloutAnalysisSpec spec, VersionMetrics stable, VersionMetrics canary)
    {
        var classes = stable.Predictions.Keys.Union(canary.Predictions.Keys).Order(StringComparer.Ordinal).ToList();
        var reference = classes.Select(c => (double)stable.Predictions.GetValueOrDefault(c)).ToList();
        var current = classes.Select(c => (double)canary.Predictions.GetValueOrDefault(c)).ToList();
        if (reference.Sum() <= 0 || current.Sum() <= 0)
        {
            // A regression model's server counts no classes: nothing to compare here.
            return null;
        }

        var (_, p) = DriftStatistics.ChiSquare(reference, current);
        var shares =
            string.Join(", ",
            classes.Select((c, i) => $"{c} {Percent(reference[i] / reference.Sum())}→{Percent(current[i] / current.Sum())}"));
        return new RolloutCheck("prediction drift", p >= spec.DriftPValue,
            $"chi-square p = {p.ToString("0.####", CultureInfo.InvariantCulture)} ({shares})",
            $"p >= {spec.DriftPValue.ToString("0.####", CultureInfo.InvariantCulture)}");
    }

    private static string Percent(double share) => (100 * share).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.##", CultureInfo.InvariantCulture) + " ms";
}
