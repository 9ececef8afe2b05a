using System.Globalization;
using Layercake.Pipelines.Locations;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Pipelines.Gates;

/// <summary>
/// A threshold a candidate's mean cross-validated metric must meet, e.g. <c>macro_accuracy &gt;= 0.95</c>; with a
/// <see cref="Class"/>, one class's figure (<c>recall[Chinstrap] &gt;= 0.8</c>), and <c>min_recall</c> (or
/// <c>min_precision</c>, <c>min_f1</c>) is the lowest over all classes.
/// </summary>
public sealed record MetricGate(string Metric, ComparisonOperator Operator, double Threshold, SourceLocation Location, string? Class = null)
{
    /// <summary>The metric as written in the YAML: <c>recall[Chinstrap]</c> for a class's, else the name.</summary>
    public string Name => Class is null ? Metric : $"{Metric}[{Class}]";

    public string Symbol => Operator.Symbol();

    public bool IsMetBy(double value) => Operator.IsMet(value, Threshold);

    public override string ToString() => $"{Name} {Symbol} {Threshold.ToString(CultureInfo.InvariantCulture)}";
}
