using Layercake.Pipelines;
using Layercake.Runtime.Manifest;

namespace Layercake.Development.Training;

/// <summary>A candidate trainer's cross-validation: every fold, and mean ± std of every metric.</summary>
public sealed record CandidateResult(
    string Name,
    string Kind,
    IReadOnlyDictionary<string, double> Parameters,
    IReadOnlyList<FoldResult> Folds,
    IReadOnlyDictionary<string, MetricSummary> Metrics,
    double Seconds)
{
    public static CandidateResult From(TrainerSpec trainer, IReadOnlyList<FoldResult> folds, double seconds)
    {
        var metrics = folds[0].Metrics.Keys.ToDictionary(
            name => name,
            name =>
            {
                var values = folds.Select(f => f.Metrics[name]).ToArray();
                return new MetricSummary(values.Average(), Data.Statistics.StdDev(values), values);
            });
        return new CandidateResult(trainer.Name, TrainerCatalog.Name(trainer.Kind), trainer.Parameters, folds, metrics, seconds);
    }
}
