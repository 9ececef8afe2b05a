using System.Diagnostics;
using Layercake.Development.Data;
using Layercake.Development.Data.Tables;
using Layercake.Development.Training.Chain;
using Layercake.Development.Training.Folds;
using Layercake.Pipelines;
using Layercake.Pipelines.Gates;
using Layercake.Pipelines.Trainers;
using Microsoft.Extensions.Logging;
using Microsoft.ML;

namespace Layercake.Development.Training.Search;

/// <summary>
/// Nested cross-validation of one trainer's search. Every outer fold's training rows are cut again into an inner
/// training part and a validation holdout (a quarter, stratified like the folds); each trial is fitted on the inner
/// part and scored on the holdout, of every outer fold and of all rows alike. Each outer fold is then fitted with
/// the trial its own holdout chose and scored on its held-out rows, which the search never saw: that outer score
/// is the honest one. The final model takes the trial with the best mean over all the holdouts (those of the outer
/// folds and one of all rows): like an inner cross-validation on all rows, steadier than any single holdout.
/// </summary>
/// <remarks>
/// A holdout rather than an inner k-fold: one fit per trial and split instead of k, which keeps a 20-trial search
/// of five outer folds at 120 fits per trainer on the two cores CI has.
/// </remarks>
internal sealed class NestedSearch(ILogger logger, TimeProvider time)
{
    /// <summary>One in this many of a training set's rows is its inner validation holdout.</summary>
    public const int InnerParts = 4;

    public const string Validation = "nested: a stratified holdout of a quarter of each outer fold's training rows";

    public NestedSearchResult Run(
        PipelineSpec spec, TrainingData data, FoldViews views, int[] folds, TrainerSpec trainer, ICollection<TrialRecord> log,
            CancellationToken cancellationToken)
    {
        var allRows = Enumerable.Range(0, data.RowCount).ToArray();
        var splits = Enumerable.Range(0, spec.Folds)
            .Select(f => Inner(data, views, allRows.Where(i => folds[i] != f).ToArray(), f + 1, spec.Seed))
            .Append(Inner(data, views, allRows, null, spec.Seed))
            .ToArray();
        var seed = spec.Search.Seed ?? spec.Seed;
        var points = SearchSampler.Points(trainer.Search, spec.Search, seed, trainer.Name);
        var higherIsBetter = MetricCatalog.HigherIsBetter(spec.Task, spec.PrimaryMetric);
        logger.LogInformation(
            "{Trainer}: {Strategy} search of {Trials} trials over {Parameters}, each on {Splits} inner splits ({Validation})",
            trainer.Name, PipelineSpecLoader.Lower(spec.Search.Strategy), points.Count,
                string.Join(", ", trainer.Search.Select(d => d.Name)), splits.Length, Validation);

        (IReadOnlyList<SplitScore>, string?) Evaluate(IReadOnlyDictionary<string, double> point, double share) =>
            Score(spec, data, trainer, point, splits, share);

        // Each trial is logged as it finishes, so a run cancelled later still has it.
        void Record(SearchTrial trial)
        {
            foreach (var split in trial.Splits)
            {
                log.Add(new TrialRecord(trainer.Name, trial.Trial, split.OuterFold, trial.Parameters, spec.PrimaryMetric, split.Score,
                    split.Seconds, trial.Share));
            }
        }

        var run = new HyperparameterSearch(spec.Search, time, logger)
            .Run(trainer.Name, spec.PrimaryMetric, higherIsBetter, points, Evaluate, cancellationToken, Record);

        var chosen = Enumerable.Range(0, splits.Length - 1).Select(s => HyperparameterSearch.Best(run.Trials, s, higherIsBetter))
            .Append(HyperparameterSearch.BestMean(run.Trials, higherIsBetter)).ToArray();
        if (chosen.Any(c => c < 0))
        {
            logger.LogWarning("{Trainer}: no trial finished on every split; the declared parameters stand in where none did", trainer.Name);
        }

        TrainerSpec Pick(int index) => index < 0 ? trainer : trainer.With(run.Trials[index].Parameters);
        var final = chosen[^1];
        var outcome = new SearchOutcome(
            PipelineSpecLoader.Lower(spec.Search.Strategy),
            run.Planned,
            run.Stop,
            trainer.Search.Select(d => d.Name).ToArray(),
            chosen[..^1].Select(c => Pick(c).Parameters).ToArray(),
            chosen[..^1].Select((c, s) => c < 0 ? double.NaN : run.Trials[c].Splits[s].Score).ToArray(),
            final < 0 ? 0 : run.Trials[final].Trial,
            final < 0 ? double.NaN : run.Trials[final].Score,
            run.Trials)
        { Validation = Validation };
        logger.LogInformation("{Trainer}: best over all holdouts is trial {Trial} ({Parameters}), inner {Metric} = {Score:F4}",
            trainer.Name, outcome.BestTrial, HyperparameterSearch.Describe(Pick(final).Parameters), spec.PrimaryMetric, outcome.InnerBest);
        return new NestedSearchResult(chosen[..^1].Select(Pick).ToArray(), Pick(final), outcome);
    }

    /// <summary>
    /// One trial: the trainer at the point, trained on a share of each inner split's training rows, scored on its holdout.
    /// </summary>
    private static (IReadOnlyList<SplitScore>, string?) Score(
        PipelineSpec spec, TrainingData data, TrainerSpec trainer, IReadOnlyDictionary<string, double> point, InnerSplit[] splits,
        double share)
    {
        string? error = null;
        var scores = splits.Select(split =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var ml = new MLContext(spec.Seed);
                var model = ModelPipelineBuilder.Build(ml, data, spec.Engineering, trainer.With(point), spec.Seed).Fit(split.Train(share));
                var score = MetricsEvaluator.Evaluate(ml, data.Task, model.Transform(split.Validation))[spec.PrimaryMetric];
                return new SplitScore(split.OuterFold, score, clock.Elapsed.TotalSeconds);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NotSupportedException)
            {
                // A point the trainer rejects (too few rows per leaf, say) is a failed trial, not a failed run.
                error ??= ex.Message;
                return new SplitScore(split.OuterFold, double.NaN, clock.Elapsed.TotalSeconds);
            }
        }).ToArray();
        return (scores, error);
    }

    private static InnerSplit Inner(TrainingData data, FoldViews views, int[] rows, int? outerFold, int seed)
    {
        var parts = FoldSplitter.Assign(data.Subset(rows), InnerParts, seed);
        var validation = rows.Where((_, i) => parts[i] == 0).ToArray();
        var training = rows.Where((_, i) => parts[i] != 0).ToArray();
        var (train, test) = views.Split(training, validation);
        return new InnerSplit(outerFold, data, views, training, validation, train, views.Keyed(test), seed);
    }

    /// <summary>One inner split: its training rows as a view (and, for successive halving, stratified shares of them) and its
    /// holdout.</summary>
    private sealed class InnerSplit(
        int? outerFold, TrainingData data, FoldViews views, int[] training, int[] validation, IDataView train, IDataView holdout, int seed)
    {
        private readonly Dictionary<double, IDataView> _shares = new() { [1.0] = train };

        public int? OuterFold => outerFold;

        public IDataView Validation => holdout;

        public IDataView Train(double share)
        {
            if (!_shares.TryGetValue(share, out var view))
            {
                // Dealt like the folds, so each share keeps the class mix (or the target's range).
                var parts = FoldSplitter.Assign(data.Subset(training), (int)Math.Round(1 / share), seed);
                view = views.Split(training.Where((_, i) => parts[i] == 0).ToArray(), validation).Train;
                _shares[share] = view;
            }

            return view;
        }
    }
}
