using Layercake.Pipelines.Locations;

namespace Layercake.Pipelines.Data;

/// <summary>
/// <c>rare_classes:</c> a class with fewer rows than folds leaves some fold without it, so its metrics (and any gate
/// on them) would be computed on nothing. <see cref="Location"/> is where the key is written, null when absent.
/// </summary>
public sealed record RareClassPolicy(RareClassAction Action, string? MergeInto, SourceLocation? Location)
{
    public static RareClassPolicy Default { get; } = new(RareClassAction.Error, null, null);

    /// <summary>As written in the YAML, for messages and the stage cache.</summary>
    public override string ToString() => Action switch
    {
        RareClassAction.Drop => "drop",
        RareClassAction.Merge => $"{{ merge_into: {MergeInto} }}",
        _ => "error",
    };
}
