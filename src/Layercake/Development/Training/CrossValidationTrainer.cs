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

    public CrossValidationResult Run(PipelineSpec spec, TrainingData data, FoldPreparation? preparation,
        CancellationToken cancellationToken) =>
        Run(spec, data, preparation, [], cancellationToken);

    /// <param name="trials">Receives every finished search trial as it ends, so a cancelled run can still keep them.</param>
    /// <param name="all">When <paramref name="data"/> is a <c>cv_sample</c>, every row: the final models train on these.</param>
    public CrossValidationResult Run(
        PipelineSpec spec, TrainingData data, FoldPreparation? preparation, ICollection<TrialRecord> trials,
            CancellationToken cancellationToken, TrainingData? all = null)
    {
        if (preparation is not null && preparation.RowCount != data.RowCount)
        {
            throw new InvalidOperationException(
                $"The validated data has {preparation.RowCount} rows and the prepared data {data.RowCount}; run Prepare again.");
        }

        var folds = FoldSplitter.Assign(data, spec.Folds, spec.Seed);
        var plan =
            new FoldPlan(spec, data, folds, new FoldViews(data, preparation, spec.Seed), Enumerable.Range(0, data.RowCount).ToArray());
        var classIndex = data.Classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var classOf = data.Labels?.Select(l => classIndex[l]).ToArray();
        var progress = new Progress(spec.Trainers.Count * spec.Folds);
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
            foldModels[trainer.Name] = [];
            var (candidate, predictions, final) =
                CrossValidate(plan, trainer, classOf, trials, foldModels[trainer.Name], progress, evaluation, cancellationToken);
            chosen[trainer.Name] = final;
            candidates.Add(candidate);
            outOfFold[trainer.Name] = predictions;
        }

        var higherIsBetter = MetricCatalog.HigherIsBetter(spec.Task, spec.PrimaryMetric);
        evaluation.Start();
        var report = CompareWithBaseline(plan, classOf, candidates, outOfFold, higherIsBetter);
        var winner = report.Winner;
        evaluation.Stop();

        // A candidate's permutation importance on its own out-of-fold rows: the winner's here, and the packaged
        // candidate's when the winner cannot be packaged (TrainStage asks for it then).
        IReadOnlyList<FeatureImportance> ImportanceOf(string name) =>
            Importance(plan, report.Candidates.First(c => c.Name == name), foldModels[name], higherIsBetter, cancellationToken);

        evaluation.Start();
        report = report with { Importance = ImportanceOf(winner) };
        evaluation.Stop();

        TrainedModel FitAll(string name) => FitOnAllRows(plan, all, chosen, name);

        var winnerModel = FitAll(winner);
        report = report with { Timing = new TrainingTiming(whole.Elapsed.TotalSeconds, evaluation.Elapsed.TotalSeconds) };
        return new CrossValidationResult(report, winnerModel, outOfFold, FitAll, ImportanceOf);
    }

    /// <summary>One candidate on every fold (after its nested search, if it has one), with its per-class figures.</summary>
    private (CandidateResult Candidate, List<FoldPredictions> Predictions, TrainerSpec Chosen) CrossValidate(
        FoldPlan plan, TrainerSpec trainer, int[]? classOf, ICollection<TrialRecord> trials, List<(ITransformer Model, int Fold)> models,
        Progress progress, Stopwatch evaluation, CancellationToken cancellationToken)
    {
        var (spec, data) = (plan.Spec, plan.Data);
        var candidateClock = Stopwatch.StartNew();
        var results = new List<FoldResult>();
        var predictions = new List<FoldPredictions>();
        var searched = trainer.Search.Count > 0
            ? new NestedSearch(logger, time ?? TimeProvider.System)
                .Run(spec, data, plan.Views, plan.Folds, trainer, trials, cancellationToken)
            : null;
        for (var fold = 0; fold < spec.Folds; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var foldTrainer = searched?.FoldTrainers[fold] ?? trainer;
            results.Add(TrainFold(plan, foldTrainer, trainer.Name, fold, predictions, models, progress, evaluation));
        }

        var chosen = searched?.Final ?? trainer;
        var candidate = CandidateResult.From(chosen, results, candidateClock.Elapsed.TotalSeconds) with { Search = searched?.Outcome };
        if (classOf is not null)
        {
            evaluation.Start();
            candidate =
                candidate with { Diagnostics = DiagnosticsCalculator.Classification(data.Task, data.Classes, classOf, predictions) };
            evaluation.Stop();
        }

        var summary = candidate.Metrics[spec.PrimaryMetric];
        logger.LogInformation("{Trainer}: {Metric} = {Mean:F4} ± {Std:F4} across {Folds} folds", trainer.Name, spec.PrimaryMetric,
            summary.Mean, summary.StdDev, spec.Folds);
        return (candidate, predictions, chosen);
    }

    private FoldResult TrainFold(
        FoldPlan plan, TrainerSpec trainer, string name, int fold, List<FoldPredictions> predictions,
        List<(ITransformer Model, int Fold)> models, Progress progress, Stopwatch evaluation)
    {
        var (spec, data, views) = (plan.Spec, plan.Data, plan.Views);
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(spec.Seed);
        var (trainRows, testRows) = plan.Rows(fold);
        var (trainView, test) = views.Split(trainRows, testRows);
        var model = ModelPipelineBuilder.Build(ml, data, spec.Engineering, trainer, spec.Seed).Fit(trainView);
        // Cached, so reading the predictions back does not score the fold a second time.
        var scored = ml.Data.Cache(model.Transform(views.Keyed(test)));
        var metrics = MetricsEvaluator.Evaluate(ml, data.Task, scored);
        evaluation.Start();
        predictions.Add(PredictionReader.Read(scored, data.Task, data.Classes, fold + 1, testRows));
        evaluation.Stop();
        models.Add((model, fold));
        var result = new FoldResult(fold + 1, trainRows.Length, testRows.Length, metrics, clock.Elapsed.TotalSeconds);
        progress.Done++;
        logger.LogInformation(
            "[{Done}/{Total}] {Trainer} fold {Fold}/{Folds}: {Metric} = {Value:F4} ({Seconds:F1} s)",
            progress.Done, progress.Total, name, fold + 1, spec.Folds, spec.PrimaryMetric, metrics[spec.PrimaryMetric],
                clock.Elapsed.TotalSeconds);
        return result;
    }

    /// <summary>The baseline on the same folds, each candidate's lift over it, and the ranked report.</summary>
    private CrossValidationReport CompareWithBaseline(
        FoldPlan plan, int[]? classOf, List<CandidateResult> candidates, Dictionary<string, IReadOnlyList<FoldPredictions>> outOfFold,
        bool higherIsBetter)
    {
        var (spec, data) = (plan.Spec, plan.Data);
        var (baseline, baselinePredictions) =
            BaselineCrossValidation.Run(data.Task, spec.PrimaryMetric, data.Classes, classOf, data.Targets, plan.Folds, spec.Folds);
        outOfFold[BaselinePredictor.Name] = baselinePredictions;
        var baselineMean = baseline.Metrics[spec.PrimaryMetric].Mean;
        logger.LogInformation("{Baseline} ({How}): {Metric} = {Mean:F4}", BaselinePredictor.Name,
            BaselinePredictor.Describe(data.Task, spec.PrimaryMetric), spec.PrimaryMetric, baselineMean);
        var lifted = candidates.Select(c =>
        {
            var mean = c.Metrics[spec.PrimaryMetric].Mean;
            return c with { Lift = higherIsBetter ? mean - baselineMean : baselineMean - mean };
        }).ToList();

        var report = new CrossValidationReport(
            spec.Name, spec.Task.ToString().ToLowerInvariant(), spec.Folds, spec.Seed, spec.PrimaryMetric, higherIsBetter, lifted, "",
                data.Classes)
        {
            Baseline = baseline,
            BaselineDescription = BaselinePredictor.Describe(data.Task, spec.PrimaryMetric),
        };
        return report with { Winner = report.Ranked()[0].Name };
    }

    private IReadOnlyList<FeatureImportance> Importance(
        FoldPlan plan, CandidateResult candidate, List<(ITransformer Model, int Fold)> models, bool higherIsBetter,
        CancellationToken cancellationToken)
    {
        logger.LogInformation("Permutation importance of {Trainer} on its out-of-fold rows", candidate.Name);
        var spec = plan.Spec;
        var importanceFolds = models.Select(m =>
        {
            var (trainRows, testRows) = plan.Rows(m.Fold);
            return (m.Model, plan.Views.TestData(trainRows, testRows), candidate.Folds[m.Fold].Metrics[spec.PrimaryMetric]);
        }).ToArray();
        return PermutationImportance.Compute(
            importanceFolds, plan.Views.Keyed, spec.PrimaryMetric, higherIsBetter, spec.Seed, cancellationToken);
    }

    private TrainedModel FitOnAllRows(FoldPlan plan, TrainingData? all, Dictionary<string, TrainerSpec> chosen, string name)
    {
        var (spec, data) = (plan.Spec, plan.Data);
        var everything = all ?? data;
        logger.LogInformation("Retraining {Trainer} on all {Rows} rows", name, everything.RowCount);
        var final = new MLContext(spec.Seed);
        var allView = all is null ? plan.Views.All : plan.Views.Keyed(all);
        var trainer = chosen.TryGetValue(name, out var searched) ? searched : spec.Trainers.First(t => t.Name == name);
        var transformer = ModelPipelineBuilder.Build(final, everything, spec.Engineering, trainer, spec.Seed).Fit(allView);
        return new TrainedModel(final, transformer, data.FeatureView().Schema);
    }

    /// <summary>What every fold of the run shares: the pipeline, the data, each row's fold and the views cut from them.</summary>
    private sealed record FoldPlan(PipelineSpec Spec, TrainingData Data, int[] Folds, FoldViews Views, int[] AllRows)
    {
        public (int[] Train, int[] Test) Rows(int fold) =>
            (AllRows.Where(i => Folds[i] != fold).ToArray(), AllRows.Where(i => Folds[i] == fold).ToArray());
    }

    /// <summary>Folds trained so far across all candidates, for the progress line.</summary>
    private sealed class Progress(int total)
    {
        public int Total { get; } = total;

        public int Done { get; set; }
    }
}
