namespace Layercake.Monitoring.Drift;

/// <summary>Shares per bin (numbers: the training histogram's bins; categories: the most frequent values) in training and now.</summary>
public sealed record ColumnHistogram(IReadOnlyList<string> Bins, IReadOnlyList<double> Reference, IReadOnlyList<double> Current);
