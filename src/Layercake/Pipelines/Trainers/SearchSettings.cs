namespace Layercake.Pipelines.Trainers;

/// <summary>
/// The top-level <c>search:</c>: the strategy, the trials per trainer (null: 20 for random, the whole grid for
/// grid), an optional wall-clock budget per trainer, and the seed of the sampler (null: the pipeline's seed).
/// </summary>
public sealed record SearchSettings(SearchStrategy Strategy, int? Trials, double? MaxMinutes, int? Seed)
{
    public const int DefaultRandomTrials = 20;

    public static SearchSettings Default { get; } = new(SearchStrategy.Random, null, null, null);
}
