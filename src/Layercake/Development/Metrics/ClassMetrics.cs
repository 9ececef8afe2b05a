using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Development.Metrics;

/// <summary>One class's precision, recall and F1 across folds (mean ± std), and its rows in the data.</summary>
public sealed record ClassMetrics(string Class, int Support, MetricSummary Precision, MetricSummary Recall, MetricSummary F1)
{
    public MetricSummary Get(string metric) => metric switch
    {
        "precision" => Precision,
        "recall" => Recall,
        "f1" => F1,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "not a per-class metric"),
    };
}
