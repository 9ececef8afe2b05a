using Layercake.Runtime.Manifest;

namespace Layercake.Runtime.Preprocessing;

/// <summary>
/// A column as the caller sends it, and how a missing value is filled: numerics with the statistic
/// learnt at training time, categoricals with their own category (or the most frequent one).
/// </summary>
public sealed record RawFeature(
    string Column,
    string Tensor,
    FeatureKind Kind,
    string Imputation,
    double? NumericFill,
    string? CategoricalFill);
