namespace Layercake.Monitoring.Estimation;

/// <summary>
/// A metric estimated without labels (CBPE) with its band (±3 standard errors, NannyML's sampling error), the
/// realised value where feedback labels exist, and the packaged gate on this metric if any (<see cref="Passed"/>
/// says whether the estimate meets it).
/// </summary>
public sealed record EstimatedMetric(string Metric, double Value, double Lower, double Upper, double? Realised, long RealisedRows,
    string? Gate, bool? Passed);
