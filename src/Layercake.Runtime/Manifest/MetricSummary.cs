namespace Layercake.Runtime.Manifest;

/// <summary>A metric across cross-validation folds.</summary>
public sealed record MetricSummary(double Mean, double StdDev, IReadOnlyList<double> Folds);
