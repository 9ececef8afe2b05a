using Layercake.Registry;

namespace Layercake.Management.Promotion;

/// <summary>A candidate cleared for an environment: its package, the champion it replaces (if any) and how they compared.</summary>
public sealed record PromotionDecision(RegisteredVersion Candidate, string? ChampionVersion, ChampionComparison Comparison);
