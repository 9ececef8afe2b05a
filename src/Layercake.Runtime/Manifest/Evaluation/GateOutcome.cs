namespace Layercake.Runtime.Manifest.Evaluation;

/// <summary>One gate as it was applied to a candidate.</summary>
public sealed record GateOutcome(string Gate, string Metric, ComparisonOperator Operator, double Threshold, double Value, bool Passed)
{
    /// <summary>For the baseline gate: the baseline's value of the metric, which the threshold is derived from.</summary>
    public double? Baseline { get; init; }

    /// <summary>For the baseline gate: by how much the winner must beat the baseline, in the metric's units.</summary>
    public double? Margin { get; init; }

    /// <summary>Whether another value of the same metric (a live one, say) meets this gate.</summary>
    public bool IsMetBy(double value) => Operator.IsMet(value, Threshold);
}
