using System.Diagnostics;
using Layercake.Development.Data;
using Layercake.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.ML;

namespace Layercake.Development.Training;

/// <summary>
/// k-fold cross-validation of every candidate on the same folds, then the winner by the primary metric
/// retrained on all rows. Given a <see cref="FoldPreparation"/>, each fold's cleaning is fitted on its own
/// training rows; without one, folds are cut from rows cleaned with statistics of all rows. Each fit uses a fresh <see cref="MLContext"/> seeded from the pipeline, so the
/// results do not depend on the order candidates run in.
/// </summary>
public sealed class CrossValidationTrainer(ILogger logger)
{
    public (CrossValidationReport Report, TrainedModel Model) Run(PipelineSpec spec, TrainingData data, CancellationToken cancellationToken) =>
        Run(spec, data, null, cancellationToken);

    public (CrossValidationReport Report, TrainedModel Model) Run(PipelineSpec spec, TrainingData data, FoldPreparation? preparation, CancellationToken cancellationToken)
    {
        if (preparation is not null && preparation.RowCount != data.RowCount)
        {
            throw new InvalidOperationException($"The validated data has {preparation.RowCount} rows and the prepared data {data.RowCount}; run Prepare again.");
        }

        var folds = FoldSplitter.Assign(data, spec.Folds, spec.Seed);
        var labelled = data.LabelledView();
        // Fitted once on all rows, so every fold and the final model share one class order even if a fold lacks a class.
        var labelKeys = ModelPipelineBuilder.LabelKeys(new MLContext(spec.Seed), data, labelled);
        IDataView View(int[] rows) => labelKeys?.Transform(labelled.Subset(rows)) ?? labelled.Subset(rows);
        IDataView Keyed(TrainingData fold) => labelKeys?.Transform(fold.LabelledView()) ?? fold.LabelledView();
        (IDataView Train, IDataView Test) FoldViews(int[] trainRows, int[] testRows)
        {
            if (preparation is null)
            {
                return (View(trainRows), View(testRows));
            }

            var (train, test) = preparation.Split(trainRows, testRows);
            return (Keyed(train), Keyed(test));
        }

        var allRows = Enumerable.Range(0, data.RowCount).ToArray();
        var total = spec.Trainers.Count * spec.Folds;
        var done = 0;
        var candidates = new List<CandidateResult>();

        foreach (var trainer in spec.Trainers)
        {
            var candidateClock = Stopwatch.StartNew();
            var results = new List<FoldResult>();
            for (var fold = 0; fold < spec.Folds; fold++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                var ml = new MLContext(spec.Seed);
                var trainRows = allRows.Where(i => folds[i] != fold).ToArray();
                var testRows = allRows.Where(i => folds[i] == fold).ToArray();
                var (trainView, testView) = FoldViews(trainRows, testRows);
                var model = ModelPipelineBuilder.Build(ml, data, spec.Engineering, trainer, spec.Seed).Fit(trainView);
                var metrics = MetricsEvaluator.Evaluate(ml, data.Task, model.Transform(testView));
                results.Add(new FoldResult(fold + 1, trainRows.Length, testRows.Length, metrics, clock.Elapsed.TotalSeconds));
                done++;
                logger.LogInformation(
                    "[{Done}/{Total}] {Trainer} fold {Fold}/{Folds}: {Metric} = {Value:F4} ({Seconds:F1} s)",
                    done, total, trainer.Name, fold + 1, spec.Folds, spec.PrimaryMetric, metrics[spec.PrimaryMetric], clock.Elapsed.TotalSeconds);
            }

            var candidate = CandidateResult.From(trainer, results, candidateClock.Elapsed.TotalSeconds);
            var summary = candidate.Metrics[spec.PrimaryMetric];
            logger.LogInformation("{Trainer}: {Metric} = {Mean:F4} ± {Std:F4} across {Folds} folds", trainer.Name, spec.PrimaryMetric, summary.Mean, summary.StdDev, spec.Folds);
            candidates.Add(candidate);
        }

        var higherIsBetter = MetricCatalog.HigherIsBetter(spec.Task, spec.PrimaryMetric);
        var report = new CrossValidationReport(
            spec.Name, spec.Task.ToString().ToLowerInvariant(), spec.Folds, spec.Seed, spec.PrimaryMetric, higherIsBetter, candidates, "", data.Classes);
        var winner = report.Ranked()[0];
        report = report with { Winner = winner.Name };

        logger.LogInformation("Retraining {Trainer} on all {Rows} rows", winner.Name, data.RowCount);
        var final = new MLContext(spec.Seed);
        var transformer = ModelPipelineBuilder.Build(final, data, spec.Engineering, spec.Trainers.First(t => t.Name == winner.Name), spec.Seed).Fit(View(allRows));
        return (report, new TrainedModel(final, transformer, data.FeatureView().Schema));
    }
}
