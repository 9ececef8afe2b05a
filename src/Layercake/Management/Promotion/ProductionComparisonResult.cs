namespace Layercake.Management.Promotion;

/// <summary>How this run's winner compares with the version live in <see cref="Environment"/>.</summary>
public sealed record ProductionComparisonResult(string Environment, ChampionComparison Comparison)
{
    /// <summary>The section Evaluate adds to the pull-request comment and the job summary.</summary>
    public string Markdown => $"## Against {Environment}\n\n{Comparison.Describe()}";
}
