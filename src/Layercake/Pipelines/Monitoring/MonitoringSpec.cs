namespace Layercake.Pipelines.Monitoring;

/// <summary>
/// The pipeline's <c>monitoring:</c> section: the window a trend is cut into, the share of drifted columns that
/// makes the dataset drifted, per-column test overrides, and the data quality limits. Absent: all defaults.
/// </summary>
public sealed record MonitoringSpec(
    TimeSpan Window,
    double DriftShare,
    IReadOnlyDictionary<string, ColumnMonitoringSpec> Columns,
    QualityLimits Quality)
{
    public static MonitoringSpec Default { get; } =
        new(TimeSpan.FromDays(1), 0.5, new Dictionary<string, ColumnMonitoringSpec>(), QualityLimits.Default);

    /// <summary><c>monitoring.chisquare</c>: the test every chi-square column (and classifier's prediction) gets.</summary>
    public ChiSquareVariant ChiSquare { get; init; } = ChiSquareVariant.TwoSample;
}
