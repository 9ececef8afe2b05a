namespace Layercake.Monitoring.Quality;

/// <summary>
/// A metric on labelled production rows beside the cross-validated estimate from the manifest, and the gate the
/// model was packaged under, if one names this metric (<see cref="Passed"/> null when none does).
/// </summary>
public sealed record LiveMetric(string Metric, double Value, double? CvMean, double? CvStdDev, string? Gate, bool? Passed);
