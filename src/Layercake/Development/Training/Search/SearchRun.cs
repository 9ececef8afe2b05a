namespace Layercake.Development.Training.Search;

/// <summary>The trials a search finished, out of how many it planned, and why it stopped.</summary>
internal sealed record SearchRun(IReadOnlyList<SearchTrial> Trials, int Planned, SearchStop Stop);
