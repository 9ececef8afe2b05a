using Layercake.Development.Training;
using Layercake.Pipelines;
using Layercake.Pipelines.Gates;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Development.Evaluation;

/// <summary>Applies a pipeline's gates to the winning candidate's cross-validated metrics.</summary>
internal static class GateEvaluator
{
    public static GateReport Evaluate(GateSpec gates, CrossValidationReport cv)
    {
        var winner = cv.WinnerResult;
        var outcomes = gates.Metrics
            .Select(g =>
            {
                var value = ValueOf(g, winner);
                return new GateOutcome(g.ToString(), g.Name, g.Operator, g.Threshold, value, g.IsMetBy(value));
            })
            .ToList();

        if ((gates.Baseline ?? BaselineGate.DefaultFor(cv.PrimaryMetric)) is { Enabled: true } baselineGate && cv.Baseline is { } baseline)
        {
            var baselineValue = baseline.Metrics[cv.PrimaryMetric].Mean;
            var range = MetricCatalog.Range(cv.PrimaryMetric);
            var required = baselineGate.Required(baselineValue, cv.HigherIsBetter, range);
            var value = winner.Metrics[cv.PrimaryMetric].Mean;
            var op = cv.HigherIsBetter ? ComparisonOperator.GreaterOrEqual : ComparisonOperator.LessOrEqual;
            var margin = baselineGate.Relative ? $"{baselineGate.Margin:P0}"
                : baselineGate.Margin.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
            outcomes.Add(
                new GateOutcome($"{cv.PrimaryMetric} {op.Symbol()} baseline {(cv.HigherIsBetter ? "+" : "-")} {margin}", cv.PrimaryMetric,
                op, required, value, op.IsMet(value, required))
            {
                Baseline = baselineValue,
                Margin = baselineGate.MarginOver(baselineValue, cv.HigherIsBetter, range),
            });
        }

        if (gates.MaxPrimaryStd is { } ceiling)
        {
            var std = winner.Metrics[cv.PrimaryMetric].StdDev;
            var metric = $"std({cv.PrimaryMetric})";
            outcomes.Add(new GateOutcome($"{metric} <= {ceiling}", metric, ComparisonOperator.LessOrEqual, ceiling, std, std <= ceiling));
        }

        return new GateReport(cv.Pipeline, winner.Name, outcomes);
    }

    /// <summary>The winner's mean of a gate's metric: overall, one class's, or the lowest over classes.</summary>
    private static double ValueOf(MetricGate gate, CandidateResult winner)
    {
        if (gate.Class is null && winner.Metrics.TryGetValue(gate.Metric, out var summary))
        {
            return summary.Mean;
        }

        var diagnostics = winner.Diagnostics
            ?? throw new InvalidOperationException($"Gate '{gate}' needs per-class figures, and cv.json has none: run Train again.");
        if (gate.Class is { } name)
        {
            var perClass = diagnostics.PerClass.FirstOrDefault(c => c.Class == name)
                ?? throw new InvalidOperationException(
                    $"Gate '{gate}' names class '{name}', which the data does not have; classes: " +
                    $"{string.Join(", ", diagnostics.PerClass.Select(c => c.Class))}");
            return perClass.Get(gate.Metric).Mean;
        }

        return diagnostics.Minimum(gate.Metric["min_".Length..]);
    }
}
