namespace Layercake.Pipelines.Monitoring;

/// <summary>
/// Data quality limits on production rows, as shares from 0 to 1: missing values per column, numbers outside the
/// training minimum–maximum, categories training never saw, and requests the server rejected.
/// </summary>
public sealed record QualityLimits(double MaxMissingRate, double MaxOutOfRangeRate, double MaxUnseenCategoryRate, double MaxRejectedRate)
{
    public static QualityLimits Default { get; } = new(0.2, 0.05, 0.05, 0.05);
}
