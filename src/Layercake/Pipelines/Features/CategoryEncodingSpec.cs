namespace Layercake.Pipelines.Features;

/// <summary>
/// A categorical column's declared encoding: <c>one_hot</c> (every value, however many), <c>top_k</c> (the
/// <see cref="MaxCategories"/> most frequent values and one bucket for the rest) or <c>hash</c>
/// (<see cref="Buckets"/> hash buckets). A null choice is the automatic one: one-hot up to
/// <see cref="MaxCategories"/> distinct values, top-K past it. Null numbers take the defaults.
/// </summary>
public sealed record CategoryEncodingSpec(CategoryEncodingChoice? Choice, int? MaxCategories, int? Buckets)
{
    public const int DefaultBuckets = 64;
}
