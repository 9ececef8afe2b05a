using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Development.Experiments.Comparison;

/// <summary>One metric of one candidate in two runs: each run's mean ± std over folds, and the change of the mean.</summary>
public sealed record MetricDelta(string Candidate, string Metric, MetricSummary? Old, MetricSummary? New)
{
    public double? Change => Old is not null && New is not null ? New.Mean - Old.Mean : null;

    /// <summary>Whether the change is no larger than the folds' own spread in either run: likely noise.</summary>
    public bool? WithinSpread => Change is { } change ? Math.Abs(change) <= Math.Max(Old!.StdDev, New!.StdDev) : null;

    /// <summary>How to read the change, for the tables.</summary>
    public string Verdict => Change switch
    {
        null => Old is null ? "new" : "gone",
        0 => "unchanged",
        _ => WithinSpread == true ? "within fold spread" : "beyond fold spread",
    };
}
