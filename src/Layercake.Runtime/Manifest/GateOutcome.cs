namespace Layercake.Runtime.Manifest;

/// <summary>One gate as it was applied to a candidate.</summary>
public sealed record GateOutcome(string Gate, string Metric, ComparisonOperator Operator, double Threshold, double Value, bool Passed)
{
    /// <summary>Whether another value of the same metric (a live one, say) meets this gate.</summary>
    public bool IsMetBy(double value) => Operator.IsMet(value, Threshold);
}
