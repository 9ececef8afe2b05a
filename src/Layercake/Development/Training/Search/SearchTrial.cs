namespace Layercake.Development.Training.Search;

/// <summary>
/// One point of a search: its parameters, its inner validation score on every split (NaN where the fit failed,
/// with the reason in <see cref="Error"/>), their mean, and the seconds it took on all of them.
/// </summary>
public sealed record SearchTrial(int Trial, IReadOnlyDictionary<string, double> Parameters, IReadOnlyList<SplitScore> Splits, double Score,
    double Seconds)
{
    public string? Error { get; init; }

    /// <summary>The share of each split's training rows it was fitted on: 1, or less on a rung of successive halving.</summary>
    public double Share { get; init; } = 1;
}
