namespace Layercake.Monitoring.Quality;

/// <summary>Live quality over the period: how many rows had feedback, how much feedback matched no logged row, and the metrics.</summary>
public sealed record LiveQuality(long LabelledRows, long UnmatchedFeedback, long UnusableFeedback, int MinimumRows,
    IReadOnlyList<LiveMetric> Metrics);
