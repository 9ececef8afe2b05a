using System.Globalization;
using Layercake.Runtime.Manifest;

namespace Layercake.Pipelines;

/// <summary>A threshold a candidate's mean cross-validated metric must meet, e.g. <c>macro_accuracy &gt;= 0.95</c>.</summary>
public sealed record MetricGate(string Metric, ComparisonOperator Operator, double Threshold, SourceLocation Location)
{
    public string Symbol => Operator.Symbol();

    public bool IsMetBy(double value) => Operator.IsMet(value, Threshold);

    public override string ToString() => $"{Metric} {Symbol} {Threshold.ToString(CultureInfo.InvariantCulture)}";
}
