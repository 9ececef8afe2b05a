namespace Layercake.Development.Training.Search;

/// <summary>
/// One trial's primary metric on one inner validation split: the split cut from outer fold
/// <see cref="OuterFold"/>'s training rows, or from all rows (null) for the final model's search.
/// </summary>
public sealed record SplitScore(int? OuterFold, double Score, double Seconds);
