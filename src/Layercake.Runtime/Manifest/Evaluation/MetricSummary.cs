namespace Layercake.Runtime.Manifest.Evaluation;

/// <summary>A metric across cross-validation folds.</summary>
public sealed record MetricSummary(double Mean, double StdDev, IReadOnlyList<double> Folds);
