using System.Diagnostics;
using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Development.Metrics;
using Layercake.Development.Training.Chain;
using Layercake.Development.Training.Folds;
using Layercake.Development.Training.Search;
using Layercake.Pipelines;
using Layercake.Pipelines.Gates;
using Layercake.Pipelines.Trainers;
using Layercake.Runtime.Manifest;
using Microsoft.Extensions.Logging;
using Microsoft.ML;

namespace Layercake.Development.Training;

/// <summary>
/// k-fold cross-validation of every candidate and of the baseline on the same folds, then the winner by the
/// primary metric retrained on all rows. Given a <see cref="FoldPreparation"/>, each fold's cleaning is fitted on
/// its own training rows; without one, folds are cut from rows cleaned with statistics of all rows. Each fit uses
/// a fresh <see cref="MLContext"/> seeded from the pipeline, so the results do not depend on the order candidates
/// run in. Every held-out prediction is kept, so the per-class figures, the calibration and the importance are
/// computed from (and can be recomputed from) the out-of-fold predictions.
/// </summary>
internal sealed class CrossValidationTrainer(ILogger logger, TimeProvider? time = null)
{
    public CrossValidationResult Run(PipelineSpec spec, TrainingData data, CancellationToken cancellationToken) =>
        Run(spec, data, null, cancellationToken);

    public CrossValidationResult Run(PipelineSpec spec, TrainingData data, FoldPreparation? preparation, CancellationToken cancellationToken) =>
        Run(spec, data, preparation, [], cancellationToken);

    /// <param name="trials">Receives every finished search trial as it ends, so a cancelled run can still keep them.</param>
    /// <param name="all">When <paramref name="data"/> is a <c>cv_sample</c>, every row: the final models train on these.</param>
    public CrossValidationResult Run(
        PipelineSpec spec, TrainingData data, FoldPreparation? preparation, ICollection<TrialRecord> trials, CancellationToken cancellationToken, TrainingData? all = null)
    {
        if (preparation is not null && preparation.RowCount != data.RowCount)
        {
            throw new InvalidOperationException($"The validated data has {preparation.RowCount} rows and the prepared data {data.RowCount}; run Prepare again.");
        }

        var folds = FoldSplitter.Assign(data, spec.Folds, spec.Seed);
        var views = new FoldViews(data, preparation, spec.Seed);
        var classIndex = data.Classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var classOf = data.Labels?.Select(l => classIndex[l]).ToArray();
        var allRows = Enumerable.Range(0, data.RowCount).ToArray();
        var total = spec.Trainers.Count * spec.Folds;
        var done = 0;
        var candidates = new List<CandidateResult>();
        var outOfFold = new Dictionary<string, IReadOnlyList<FoldPredictions>>(StringComparer.Ordinal);
        var foldModels = new Dictionary<string, List<(ITransformer Model, int Fold)>>(StringComparer.Ordinal);
        var chosen = new Dictionary<string, TrainerSpec>(StringComparer.Ordinal);
        // Time spent on what honest evaluation adds (reading predictions back, the baseline, per-class figures,
        // importance), reported so its cost against training is measured, not guessed.
        var evaluation = new Stopwatch();
        var whole = Stopwatch.StartNew();

        foreach (var trainer in spec.Trainers)
        {
            var candidateClock = Stopwatch.StartNew();
            var results = new List<FoldResult>();
            var predictions = new List<FoldPredictions>();
            foldModels[trainer.Name] = [];
            var searched = trainer.Search.Count > 0
                ? new NestedSearch(logger, time ?? TimeProvider.System).Run(spec, data, views, folds, trainer, trials, cancellationToken)
                : null;
            for (var fold = 0; fold < spec.Folds; fold++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var ml = new MLContext(spec.Seed);
                var trainRows = allRows.Where(i => folds[i] != fold).ToArray();
                var testRows = allRows.Where(i => folds[i] == fold).ToArray();
                var (trainView, test) = views.Split(trainRows, testRows);
                var model = ModelPipelineBuilder.Build(ml, data, spec.Engineering, searched?.FoldTrainers[fold] ?? trainer, spec.Seed).Fit(trainView);
                // Cached, so reading the predictions back does not score the fold a second time.
                var scored = ml.Data.Cache(model.Transform(views.Keyed(test)));
                var metrics = MetricsEvaluator.Evaluate(ml, data.Task, scored);
                evaluation.Start();
                predictions.Add(PredictionReader.Read(scored, data.Task, data.Classes, fold + 1, testRows));
                evaluation.Stop();
                foldModels[trainer.Name].Add((model, fold));
                results.Add(new FoldResult(fold + 1, trainRows.Length, testRows.Length, metrics, clock.Elapsed.TotalSeconds));
                done++;
                logger.LogInformation(
                    "[{Done}/{Total}] {Trainer} fold {Fold}/{Folds}: {Metric} = {Value:F4} ({Seconds:F1} s)",
                    done, total, trainer.Name, fold + 1, spec.Folds, spec.PrimaryMetric, metrics[spec.PrimaryMetric], clock.Elapsed.TotalSeconds);
            }

            chosen[trainer.Name] = searched?.Final ?? trainer;
            var candidate = CandidateResult.From(chosen[trainer.Name], results, candidateClock.Elapsed.TotalSeconds) with { Search = searched?.Outcome };
            if (classOf is not null)
            {
                evaluation.Start();
                candidate = candidate with { Diagnostics = DiagnosticsCalculator.Classification(data.Task, data.Classes, classOf, predictions) };
                evaluation.Stop();
            }

            var summary = candidate.Metrics[spec.PrimaryMetric];
            logger.LogInformation("{Trainer}: {Metric} = {Mean:F4} ± {Std:F4} across {Folds} folds", trainer.Name, spec.PrimaryMetric, summary.Mean, summary.StdDev, spec.Folds);
            candidates.Add(candidate);
            outOfFold[trainer.Name] = predictions;
        }

        var higherIsBetter = MetricCatalog.HigherIsBetter(spec.Task, spec.PrimaryMetric);
        evaluation.Start();
        var (baseline, baselinePredictions) = BaselineCrossValidation.Run(data.Task, spec.PrimaryMetric, data.Classes, classOf, data.Targets, folds, spec.Folds);
        outOfFold[BaselinePredictor.Name] = baselinePredictions;
        var baselineMean = baseline.Metrics[spec.PrimaryMetric].Mean;
        logger.LogInformation("{Baseline} ({How}): {Metric} = {Mean:F4}", BaselinePredictor.Name, BaselinePredictor.Describe(data.Task, spec.PrimaryMetric), spec.PrimaryMetric, baselineMean);
        candidates = candidates.Select(c =>
        {
            var mean = c.Metrics[spec.PrimaryMetric].Mean;
            return c with { Lift = higherIsBetter ? mean - baselineMean : baselineMean - mean };
        }).ToList();

        var report = new CrossValidationReport(
            spec.Name, spec.Task.ToString().ToLowerInvariant(), spec.Folds, spec.Seed, spec.PrimaryMetric, higherIsBetter, candidates, "", data.Classes)
        {
            Baseline = baseline,
            BaselineDescription = BaselinePredictor.Describe(data.Task, spec.PrimaryMetric),
        };
        var winner = report.Ranked()[0];
        report = report with { Winner = winner.Name };
        evaluation.Stop();

        // A candidate's permutation importance on its own out-of-fold rows: the winner's here, and the packaged
        // candidate's when the winner cannot be packaged (TrainStage asks for it then).
        IReadOnlyList<FeatureImportance> ImportanceOf(string name)
        {
            logger.LogInformation("Permutation importance of {Trainer} on its out-of-fold rows", name);
            var candidate = report.Candidates.First(c => c.Name == name);
            var importanceFolds = foldModels[name].Select(m =>
            {
                var trainRows = allRows.Where(i => folds[i] != m.Fold).ToArray();
                var testRows = allRows.Where(i => folds[i] == m.Fold).ToArray();
                return (m.Model, views.TestData(trainRows, testRows), candidate.Folds[m.Fold].Metrics[spec.PrimaryMetric]);
            }).ToArray();
            return PermutationImportance.Compute(importanceFolds, views.Keyed, spec.PrimaryMetric, higherIsBetter, spec.Seed, cancellationToken);
        }

        evaluation.Start();
        report = report with { Importance = ImportanceOf(winner.Name) };
        evaluation.Stop();

        TrainedModel FitAll(string name)
        {
            var everything = all ?? data;
            logger.LogInformation("Retraining {Trainer} on all {Rows} rows", name, everything.RowCount);
            var final = new MLContext(spec.Seed);
            var allView = all is null ? views.All : views.Keyed(all);
            var trainer = chosen.TryGetValue(name, out var searched) ? searched : spec.Trainers.First(t => t.Name == name);
            var transformer = ModelPipelineBuilder.Build(final, everything, spec.Engineering, trainer, spec.Seed).Fit(allView);
            return new TrainedModel(final, transformer, data.FeatureView().Schema);
        }

        var winnerModel = FitAll(winner.Name);
        report = report with { Timing = new TrainingTiming(whole.Elapsed.TotalSeconds, evaluation.Elapsed.TotalSeconds) };
        return new CrossValidationResult(report, winnerModel, outOfFold, FitAll, ImportanceOf);
    }
}
