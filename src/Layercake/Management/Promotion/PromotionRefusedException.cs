using Layercake.Pipelines.Gates;
namespace Layercake.Management.Promotion;

/// <summary>A version that may not go to an environment: its gates failed, or it falls short of the champion there.</summary>
/// <param name="championGate">
/// Whether the refusal is the champion gate's, which an operator may override (the override is recorded); a version
/// whose own gates failed, or a champion missing from the registry, is refused whatever the operator says.
/// </param>
public sealed class PromotionRefusedException(string message, bool championGate = false) : Exception(message)
{
    /// <summary>Whether the champion gate refused it, so that deploying it anyway is the operator's call.</summary>
    public bool ChampionGate { get; } = championGate;
}
