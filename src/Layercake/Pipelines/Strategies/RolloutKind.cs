namespace Layercake.Pipelines.Strategies;

/// <summary>How a new version takes an environment's traffic: the pipeline's <c>strategy.kind</c>.</summary>
public enum RolloutKind
{
    /// <summary>Today's switch: the new version takes all traffic once its trial passes (the default).</summary>
    AllAtOnce,

    /// <summary>A share of requests, stepped up on a schedule, checked at each step; promoted or aborted.</summary>
    Canary,

    /// <summary>A mirrored copy of every live request for a while; its answers are compared, never returned.</summary>
    Shadow,
}
