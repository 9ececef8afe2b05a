using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Runtime.Profiles;

/// <summary>
/// One column before cleaning: how many values, how many missing, and their distribution; for a date column, the
/// distribution of each part it is split into (keyed <c>year</c>, <c>month</c>, <c>day_of_week</c>...).
/// </summary>
public sealed record ColumnProfile(
    string Name,
    FeatureKind Kind,
    bool Inferred,
    long Count,
    long Missing,
    NumericSummary? Numeric,
    IReadOnlyDictionary<string, long>? Categories,
    IReadOnlyDictionary<string, NumericSummary>? Parts = null);
