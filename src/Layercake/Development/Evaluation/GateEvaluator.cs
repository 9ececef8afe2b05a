using Layercake.Development.Training;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;

namespace Layercake.Development.Evaluation;

/// <summary>Applies a pipeline's gates to the winning candidate's cross-validated metrics.</summary>
public static class GateEvaluator
{
    public static GateReport Evaluate(GateSpec gates, CrossValidationReport cv)
    {
        var winner = cv.WinnerResult;
        var outcomes = gates.Metrics
            .Select(g =>
            {
                var value = winner.Metrics[g.Metric].Mean;
                return new GateOutcome(g.ToString(), g.Metric, g.Operator, g.Threshold, value, g.IsMetBy(value));
            })
            .ToList();

        if (gates.MaxPrimaryStd is { } ceiling)
        {
            var std = winner.Metrics[cv.PrimaryMetric].StdDev;
            var metric = $"std({cv.PrimaryMetric})";
            outcomes.Add(new GateOutcome($"{metric} <= {ceiling}", metric, ComparisonOperator.LessOrEqual, ceiling, std, std <= ceiling));
        }

        return new GateReport(cv.Pipeline, winner.Name, outcomes);
    }
}
