using Layercake.Runtime.Manifest;

namespace Layercake.Runtime.Profiles;

/// <summary>One column before cleaning: how many values, how many missing, and their distribution.</summary>
public sealed record ColumnProfile(
    string Name,
    FeatureKind Kind,
    bool Inferred,
    long Count,
    long Missing,
    NumericSummary? Numeric,
    IReadOnlyDictionary<string, long>? Categories);
