using Layercake.Development.Data;
using Layercake.Development.Data.Profiling;
using Layercake.Development.Metrics;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Development.Training;

/// <summary>Cross-validates the baseline on the candidates' folds and scores it by the same definitions.</summary>
internal static class BaselineCrossValidation
{
    public static (CandidateResult Result, IReadOnlyList<FoldPredictions> Predictions) Run(
        ModelTask task, string primaryMetric, IReadOnlyList<string> classes, int[]? classOf, float[]? targets, int[] folds, int foldCount)
    {
        var allRows = Enumerable.Range(0, folds.Length).ToArray();
        var predictions = new List<FoldPredictions>();
        var results = new List<FoldResult>();
        for (var fold = 0; fold < foldCount; fold++)
        {
            var trainRows = allRows.Where(i => folds[i] != fold).ToArray();
            var testRows = allRows.Where(i => folds[i] == fold).ToArray();
            var p = BaselinePredictor.Predict(task, primaryMetric, classes.Count, classOf, targets, fold + 1, trainRows, testRows);
            predictions.Add(p);
            results.Add(
                new FoldResult(fold + 1, trainRows.Length, testRows.Length,
                PredictionMetrics.Compute(task, p, classOf, targets, classes.Count), 0));
        }

        var result = CandidateResult.From(BaselinePredictor.Name, BaselinePredictor.Name, new Dictionary<string, double>(), results, 0);
        // A constant has no r² on a fold whose targets are all equal, nor a log-loss reduction on a fold of one
        // class; the mean over the folds where the figure exists keeps the baseline gate computable.
        result = result with
        {
            Metrics =
                result.Metrics.ToDictionary(m => m.Key, m => m.Value.Folds.Where(double.IsFinite).ToArray() is { Length: > 0 } finite
                && finite.Length < m.Value.Folds.Count
                ? new MetricSummary(finite.Average(), Statistics.StdDev(finite), m.Value.Folds)
                : m.Value),
        };
        return (task == ModelTask.Regression ? result
            : result with { Diagnostics = DiagnosticsCalculator.Classification(task, classes, classOf!, predictions) }, predictions);
    }
}
