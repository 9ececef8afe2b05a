namespace Layercake.Pipelines.Gates;

/// <summary>
/// How far a challenger's primary metric may fall short of the champion's (the version live in the target
/// environment) and still be promoted; as MLflow's MetricThreshold, absolutely or relative to the champion.
/// Both zero means the challenger must be at least as good.
/// </summary>
public sealed record ChampionGate(double MaxAbsoluteDrop, double? MaxRelativeDrop)
{
    public static ChampionGate Default { get; } = new(0, null);
}
