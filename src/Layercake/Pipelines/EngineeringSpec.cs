namespace Layercake.Pipelines;

/// <summary>
/// Feature engineering: categoricals are one-hot encoded, numerics scaled as chosen, text featurised
/// (word and character n-grams), plus derived columns.
/// </summary>
public sealed record EngineeringSpec(NumericScaling Numeric, IReadOnlyList<DerivedSpec> Derived)
{
    public static EngineeringSpec Default { get; } = new(NumericScaling.MinMax, []);
}
