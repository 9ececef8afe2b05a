using System.Globalization;

namespace Layercake.Pipelines;

/// <summary>A threshold a candidate's mean cross-validated metric must meet, e.g. <c>macro_accuracy &gt;= 0.95</c>.</summary>
public sealed record MetricGate(string Metric, ComparisonOperator Operator, double Threshold, SourceLocation Location)
{
    public string Symbol => Operator switch
    {
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.Less => "<",
        _ => "?",
    };

    public bool IsMetBy(double value) => Operator switch
    {
        ComparisonOperator.GreaterOrEqual => value >= Threshold,
        ComparisonOperator.LessOrEqual => value <= Threshold,
        ComparisonOperator.Greater => value > Threshold,
        ComparisonOperator.Less => value < Threshold,
        _ => false,
    };

    public override string ToString() => $"{Metric} {Symbol} {Threshold.ToString(CultureInfo.InvariantCulture)}";
}
