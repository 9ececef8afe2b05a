namespace Layercake.Pipelines.Features;

/// <summary>
/// Feature engineering: categoricals are one-hot encoded (bounded above <see cref="MaxCategories"/> distinct
/// values), numerics scaled as chosen, text featurised (word unigrams and bigrams), plus derived columns.
/// </summary>
public sealed record EngineeringSpec(NumericScaling Numeric, IReadOnlyList<DerivedSpec> Derived,
    int MaxCategories = EngineeringSpec.DefaultMaxCategories)
{
    /// <summary>
    /// The widest one-hot encoding a categorical gets without asking; wider ones keep their most frequent values.
    /// 100 is the width past which Prepare already warns (<c>warnings.max_categories</c>): past it most levels are
    /// seen in a handful of rows, which a model can only memorise, and each adds a column to every row served.
    /// </summary>
    public const int DefaultMaxCategories = 100;

    public static EngineeringSpec Default { get; } = new(NumericScaling.MinMax, []);
}
