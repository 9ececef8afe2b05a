using Layercake.Registry;

namespace Layercake.Management.Promotion;

/// <summary>A candidate cleared for an environment: its package, the champion it replaces (if any) and how they compared.</summary>
public sealed record PromotionDecision(RegisteredVersion Candidate, string? ChampionVersion, ChampionComparison Comparison)
{
    /// <summary>The champion gate refused the candidate and the operator deployed it anyway.</summary>
    public bool Overridden { get; init; }

    /// <summary>What the deployment history keeps about an override (short: GitHub allows 140 characters).</summary>
    public string? OverrideNote => !Overridden ? null
        : Comparison.Champion is { } champion
            ? FormattableString.Invariant(
                $"champion gate overridden: {Comparison.Metric} {Comparison.Challenger:0.####} vs {ChampionVersion}'s {champion:0.####}")
            : $"champion gate overridden: not comparable with {ChampionVersion}";
}
