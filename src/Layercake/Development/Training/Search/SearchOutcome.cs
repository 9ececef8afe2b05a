namespace Layercake.Development.Training.Search;

/// <summary>
/// A candidate's hyper-parameter search in <c>cv.json</c>. The candidate's metrics are the outer folds' scores,
/// each fitted with the parameters its own inner search chose (<see cref="FoldParameters"/>); the inner scores
/// here were used to choose, so they are optimistic: <see cref="FoldInnerBest"/> per outer fold on its holdout, and
/// <see cref="InnerBest"/>, the mean over all holdouts of <see cref="BestTrial"/>, the trial the final model takes.
/// </summary>
public sealed record SearchOutcome(
    string Strategy,
    int Planned,
    SearchStop Stop,
    IReadOnlyList<string> Searched,
    IReadOnlyList<IReadOnlyDictionary<string, double>> FoldParameters,
    IReadOnlyList<double> FoldInnerBest,
    int BestTrial,
    double InnerBest,
    IReadOnlyList<SearchTrial> Trials)
{
    /// <summary>How the inner validation rows are cut from each training set.</summary>
    public string Validation { get; init; } = "";
}
