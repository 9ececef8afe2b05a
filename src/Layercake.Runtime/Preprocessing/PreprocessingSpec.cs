namespace Layercake.Runtime.Preprocessing;

/// <summary>
/// Cleaning and derived features, learnt at training time and applied identically when serving,
/// so that both sides run the same code on the same numbers.
/// </summary>
public sealed record PreprocessingSpec(IReadOnlyList<RawFeature> Features, IReadOnlyList<DerivedFeature> Derived)
{
    public const string MissingCategory = "__missing__";
}
