namespace Layercake.Development.Metrics;

/// <summary>A point of an ROC (false-positive rate, true-positive rate) or precision-recall (recall, precision) curve.</summary>
public sealed record CurvePoint(double X, double Y);
