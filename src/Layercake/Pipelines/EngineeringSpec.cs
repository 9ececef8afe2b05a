namespace Layercake.Pipelines;

/// <summary>
/// Feature engineering: categoricals are one-hot encoded, numerics scaled as chosen, text featurised
/// (word unigrams and bigrams), plus derived columns.
/// </summary>
public sealed record EngineeringSpec(NumericScaling Numeric, IReadOnlyList<DerivedSpec> Derived)
{
    public static EngineeringSpec Default { get; } = new(NumericScaling.MinMax, []);
}
