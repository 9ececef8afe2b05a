namespace Layercake.Pipelines.Gates;

/// <summary>
/// What a model must reach before it is packaged: metric thresholds, and a ceiling on how much the
/// primary metric may vary across folds (an unstable model is not trusted even with a good mean), and before
/// it is promoted: how it must compare with the version it replaces.
/// </summary>
public sealed record GateSpec(IReadOnlyList<MetricGate> Metrics, double? MaxPrimaryStd, ChampionGate Champion)
{
    public static GateSpec None { get; } = new([], null, ChampionGate.Default);

    /// <summary>The baseline gate; null until the loader resolves the default for the primary metric.</summary>
    public BaselineGate? Baseline { get; init; }
}
