namespace Layercake.Runtime.Profiles;

/// <summary>
/// A numeric column's distribution at training time. The histogram and the reference sample are what
/// drift tests compare production values with.
/// </summary>
public sealed record NumericSummary(
    double Min,
    double Max,
    double Mean,
    double StdDev,
    IReadOnlyDictionary<string, double> Quantiles,
    IReadOnlyList<double> HistogramEdges,
    IReadOnlyList<long> HistogramCounts,
    IReadOnlyList<double> ReferenceSample);
