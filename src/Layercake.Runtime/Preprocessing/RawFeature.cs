using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing.Categories;
using Layercake.Runtime.Preprocessing.Dates;

namespace Layercake.Runtime.Preprocessing;

/// <summary>
/// A column as the caller sends it, and how a missing value is filled: numerics with the statistic
/// learnt at training time, categoricals with their own category (or the most frequent one), dates part by part.
/// A date column becomes the numeric inputs of <see cref="Date"/>; a categorical with an <see cref="Encoding"/>
/// is bounded before one-hot encoding.
/// </summary>
public sealed record RawFeature(
    string Column,
    string Tensor,
    FeatureKind Kind,
    string Imputation,
    double? NumericFill,
    string? CategoricalFill,
    DateEncoding? Date = null,
    CategoryEncoding? Encoding = null)
{
    /// <summary>The float32 tensors this column gives the model: itself when numeric, its parts when a date.</summary>
    public IReadOnlyList<string> NumericTensors() => Kind switch
    {
        FeatureKind.Numeric => [Tensor],
        FeatureKind.Date => Date?.Outputs.Select(o => o.Tensor).ToArray() ?? [],
        _ => [],
    };
}
