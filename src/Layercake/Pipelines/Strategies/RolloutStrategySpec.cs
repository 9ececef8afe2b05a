using Layercake.Pipelines.Locations;
namespace Layercake.Pipelines.Strategies;

/// <summary>
/// An environment's <c>strategy:</c>. <see cref="Steps"/> are the canary's percent of requests, increasing, each
/// held for <see cref="Interval"/>; <see cref="Duration"/> is how long a shadow receives mirrored traffic.
/// </summary>
public sealed record RolloutStrategySpec(
    RolloutKind Kind,
    IReadOnlyList<int> Steps,
    TimeSpan Interval,
    TimeSpan Duration,
    RolloutAnalysisSpec Analysis,
    SourceLocation Location)
{
    public static RolloutStrategySpec AllAtOnce { get; } =
        new(RolloutKind.AllAtOnce, [], TimeSpan.Zero, TimeSpan.Zero, RolloutAnalysisSpec.Default, new SourceLocation(0, 0));

    /// <summary>The part of each step the checks read: the analysis window, or the whole interval.</summary>
    public TimeSpan AnalysisWindow => Analysis.Window ?? (Kind == RolloutKind.Shadow ? Duration : Interval);

    /// <summary>Whether this strategy puts a proxy in front of the environment's port.</summary>
    public bool NeedsProxy => Kind != RolloutKind.AllAtOnce;
}
