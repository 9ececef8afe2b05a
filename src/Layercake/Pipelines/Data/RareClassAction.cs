namespace Layercake.Pipelines.Data;

/// <summary>What Prepare does with a class that has fewer rows than there are folds.</summary>
public enum RareClassAction
{
    /// <summary>Fail, naming the class and the ways out (the default: dropping data silently is not honest).</summary>
    Error,
    /// <summary>Drop the class's rows, with a warning naming it.</summary>
    Drop,
    /// <summary>Relabel the class's rows as <see cref="RareClassPolicy.MergeInto"/>.</summary>
    Merge,
}
