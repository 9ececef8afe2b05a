using Layercake.Development.Data.Profiling;
using Layercake.Development.Metrics;
using Layercake.Development.Training.Search;
using Layercake.Pipelines;
using Layercake.Pipelines.Trainers;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

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
    /// <summary>Per-class figures, confusion matrix and calibration from the out-of-fold predictions (classifiers).</summary>
    public ClassificationDiagnostics? Diagnostics { get; init; }

    /// <summary>
    /// How much better than the baseline the primary metric's mean is, in the better direction (positive: better;
    /// for error metrics, baseline minus candidate). Null on the baseline itself.
    /// </summary>
    public double? Lift { get; init; }

    /// <summary>The hyper-parameter search that chose <see cref="Parameters"/>; null when they were fixed.</summary>
    public SearchOutcome? Search { get; init; }

    public static CandidateResult From(TrainerSpec trainer, IReadOnlyList<FoldResult> folds, double seconds) =>
        From(trainer.Name, TrainerCatalog.Name(trainer.Kind), trainer.Parameters, folds, seconds);

    public static CandidateResult From(string name, string kind, IReadOnlyDictionary<string, double> parameters,
        IReadOnlyList<FoldResult> folds, double seconds)
    {
        var metrics = folds[0].Metrics.Keys.ToDictionary(
            name => name,
            name =>
            {
                var values = folds.Select(f => f.Metrics[name]).ToArray();
                return new MetricSummary(values.Average(), Data.Profiling.Statistics.StdDev(values), values);
            });
        return new CandidateResult(name, kind, parameters, folds, metrics, seconds);
    }
}
