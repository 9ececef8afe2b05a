using System.Globalization;
using System.Text;
using Layercake.Development.Data;
using Layercake.Development.Evaluation;
using Layercake.Development.Metrics;
using Layercake.Development.Training;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Development.Training;

/// <summary>The baseline, its gate, and the out-of-fold figures on real ML.NET candidates.</summary>
[Category(Categories.Integration)]
public sealed class HonestEvaluationTests
{
    /// <summary>
    /// 600 rows, 94 % of them class 'common'; the features are noise, so no model can do better than always
    /// saying 'common', and a weak candidate does worse.
    /// </summary>
    private static PreparedData Imbalanced(out PipelineSpec spec, string gates)
    {
        var random = new Random(7);
        var csv = new StringBuilder("x1,x2,label\n");
        for (var i = 0; i < 600; i++)
        {
            var label = i % 50 < 47 ? "common" : i % 2 == 0 ? "rare1" : "rare2";
            csv.Append(CultureInfo.InvariantCulture, $"{random.NextDouble():F4},{random.NextDouble():F4},{label}\n");
        }

        var yaml = $"name: imbalanced\ndata: x.csv\nlabel: label\ntask: multiclass\nprimary_metric: micro_accuracy\nfolds: 3\n" +
                   $"trainers:\n  - name: overfit\n    type: fasttree\n    params: {{ number_of_leaves: 64, minimum_example_count_per_leaf: 1, number_of_trees: 200 }}\n{gates}";
        spec = Specs.Parse(yaml);
        return Specs.Prepare(yaml, csv.ToString());
    }

    [Test]
    public void A_model_that_does_not_beat_the_majority_class_fails_its_gate_naming_the_baseline()
    {
        var prepared = Imbalanced(out var spec, "gates:\n  metrics:\n    - micro_accuracy >= 0.85\n");
        var cv = new CrossValidationTrainer(NullLogger.Instance).Run(spec, prepared.Training, CancellationToken.None).Report;

        Assert.That(cv.Baseline!.Metrics["micro_accuracy"].Mean, Is.EqualTo(0.94).Within(0.01));
        Assert.That(cv.WinnerResult.Lift, Is.LessThan(0.01), "noise features cannot beat the majority class by the default margin");

        var report = GateEvaluator.Evaluate(spec.Gates, cv);
        Assert.That(report.Passed, Is.False);
        var failure = new GateFailedException(report);
        Assert.That(report.Outcomes.Single(o => o.Metric == "micro_accuracy" && o.Baseline is null).Passed, Is.True, "the plain threshold alone would have let it through");
        Assert.That(failure.Message, Does.Contain("baseline").And.Contain("micro_accuracy").And.Contain(cv.Baseline.Metrics["micro_accuracy"].Mean.ToString("F4", CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Turning_the_baseline_gate_off_is_explicit_and_lets_the_same_model_through()
    {
        var prepared = Imbalanced(out var spec, "gates:\n  baseline: off\n  metrics:\n    - micro_accuracy >= 0.85\n");
        var cv = new CrossValidationTrainer(NullLogger.Instance).Run(spec, prepared.Training, CancellationToken.None).Report;

        var report = GateEvaluator.Evaluate(spec.Gates, cv);

        Assert.That(report.Passed, Is.True);
        Assert.That(report.Outcomes.Any(o => o.Baseline is not null), Is.False);
        Assert.That(cv.Baseline, Is.Not.Null, "the baseline is still measured and shown");
    }

    [Test]
    public async Task Metrics_recomputed_from_out_of_fold_predictions_equal_ML_NET_s()
    {
        var prepared = await Specs.PreparePenguinsAsync("trainers: [sdca, lightgbm]\nfolds: 3\n");
        var spec = PipelineSpecLoader.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\ntrainers: [sdca, lightgbm]\nfolds: 3\n", Specs.File, Repository.PenguinsCsv);
        var result = new CrossValidationTrainer(NullLogger.Instance).Run(spec, prepared.Training, CancellationToken.None);
        var data = prepared.Training;
        var classOf = data.Labels!.Select(l => data.Classes.ToList().IndexOf(l)).ToArray();

        foreach (var candidate in result.Report.Candidates)
        {
            foreach (var fold in result.OutOfFold[candidate.Name])
            {
                var ours = PredictionMetrics.Compute(ModelTask.Multiclass, fold, classOf, null, data.Classes.Count);
                var theirs = candidate.Folds[fold.Fold - 1].Metrics;
                foreach (var metric in new[] { "macro_accuracy", "micro_accuracy", "log_loss", "log_loss_reduction" })
                {
                    Assert.That(ours[metric], Is.EqualTo(theirs[metric]).Within(1e-4), $"{candidate.Name} fold {fold.Fold} {metric}");
                }
            }
        }

        Assert.That(result.OutOfFold[BaselinePredictor.Name].Sum(f => f.Rows.Length), Is.EqualTo(data.RowCount), "every row is predicted once");
        Assert.That(result.Report.Importance.Select(i => i.Column), Does.Contain("Beak Length (mm)"), "importance names the data's columns");
    }

    [Test]
    public async Task Permutation_importance_is_available_for_the_candidate_that_is_packaged_not_only_the_winner()
    {
        var prepared = await Specs.PreparePenguinsAsync("trainers: [sdca, lightgbm]\nfolds: 3\n");
        var spec = PipelineSpecLoader.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\ntrainers: [sdca, lightgbm]\nfolds: 3\n", Specs.File, Repository.PenguinsCsv);
        var result = new CrossValidationTrainer(NullLogger.Instance).Run(spec, prepared.Training, CancellationToken.None);
        var other = result.Report.Candidates.Select(c => c.Name).First(n => n != result.Report.Winner);

        var winners = result.ImportanceOf(result.Report.Winner);
        var others = result.ImportanceOf(other);

        Assert.That(winners.Select(i => (i.Column, i.Drop.Mean)), Is.EqualTo(result.Report.Importance.Select(i => (i.Column, i.Drop.Mean))), "the same figures the report holds for the winner");
        Assert.That(others.Select(i => i.Column), Is.EquivalentTo(winners.Select(i => i.Column)));
        Assert.That(others.Select(i => i.Drop.Folds).SelectMany(f => f), Is.Not.EqualTo(winners.Select(i => i.Drop.Folds).SelectMany(f => f)), "the other candidate's own models are shuffled and scored");
    }
}
