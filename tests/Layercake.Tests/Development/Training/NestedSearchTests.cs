using System.Globalization;
using System.Text;
using Layercake.Development.Training;
using Layercake.Development.Training.Search;
using Layercake.Pipelines;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Development.Training;

[Category(Categories.Integration)]
public sealed class NestedSearchTests
{
    private const string PenguinSearch = """
        trainers:
          - type: lightgbm
            search:
              number_of_leaves: [4, 8, 16]
              learning_rate: { min: 0.02, max: 0.4, log: true }
              minimum_example_count_per_leaf: { min: 2, max: 30 }
          - sdca
        folds: 3
        search:
          trials: 4

        """;

    [Test]
    public async Task Searches_repeat_for_a_seed_and_differ_for_another()
    {
        var prepared = await Specs.PreparePenguinsAsync(PenguinSearch);
        PipelineSpec Spec(string extra) => PipelineSpecLoader.Parse($"name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\n{PenguinSearch}{extra}", Specs.File, Repository.PenguinsCsv);
        List<TrialRecord> first = [], again = [], other = [];

        var report = new CrossValidationTrainer(NullLogger.Instance).Run(Spec(""), prepared.Training, null, first, CancellationToken.None).Report;
        var repeated = new CrossValidationTrainer(NullLogger.Instance).Run(Spec(""), prepared.Training, null, again, CancellationToken.None).Report;
        new CrossValidationTrainer(NullLogger.Instance).Run(Spec("  seed: 5\n"), prepared.Training, null, other, CancellationToken.None);

        var lightgbm = report.Candidates.Single(c => c.Name == "lightgbm");
        var search = lightgbm.Search!;
        Assert.Multiple(() =>
        {
            Assert.That(first, Has.Count.EqualTo(4 * 4), "4 trials on 3 outer folds' holdouts and all rows' holdout");
            Assert.That(first.Select(t => t.OuterFold).Distinct(), Is.EqualTo(new int?[] { 1, 2, 3, null }));
            Assert.That(Without(again), Is.EqualTo(Without(first)), "the same seed gives the same trials and scores");
            Assert.That(repeated.Candidates.Select(c => c.Metrics["macro_accuracy"].Mean), Is.EqualTo(report.Candidates.Select(c => c.Metrics["macro_accuracy"].Mean)));
            Assert.That(other.Select(t => t.Parameters["learning_rate"]).Distinct(), Is.Not.EquivalentTo(first.Select(t => t.Parameters["learning_rate"]).Distinct()), "another search seed draws other points");
            Assert.That(search.Trials, Has.Count.EqualTo(4));
            Assert.That(search.FoldParameters, Has.Count.EqualTo(3));
            Assert.That(lightgbm.Parameters, Is.EqualTo(search.Trials[search.BestTrial - 1].Parameters), "the final model takes what the search on all rows chose");
            Assert.That(report.Candidates.Single(c => c.Name == "sdca").Search, Is.Null);
        });
    }

    [Test]
    public void On_noise_the_reported_outer_score_is_not_the_optimistic_inner_best()
    {
        // A label that no feature predicts: any score above chance on a holdout is luck the search selected for.
        var random = new Random(3);
        var csv = new StringBuilder("a,b,c,y\n");
        for (var i = 0; i < 120; i++)
        {
            csv.AppendLine(CultureInfo.InvariantCulture, $"{random.NextDouble():F4},{random.NextDouble():F4},{random.NextDouble():F4},{(random.Next(2) == 0 ? "no" : "yes")}");
        }

        const string yaml = """
            name: noise
            data: noise.csv
            label: y
            task: binary
            positive_class: "yes"
            primary_metric: accuracy
            trainers:
              - type: fasttree
                search:
                  number_of_leaves: { min: 2, max: 16 }
                  minimum_example_count_per_leaf: { min: 2, max: 20 }
                  learning_rate: { min: 0.05, max: 0.5, log: true }
            folds: 4
            search:
              trials: 8
            """;
        var prepared = Specs.Prepare(yaml, csv.ToString());

        var candidate = new CrossValidationTrainer(NullLogger.Instance).Run(Specs.Parse(yaml), prepared.Training, CancellationToken.None).Report.Candidates[0];
        var search = candidate.Search!;
        var outer = candidate.Metrics["accuracy"].Mean;

        Assert.Multiple(() =>
        {
            Assert.That(outer, Is.EqualTo(candidate.Folds.Average(f => f.Metrics["accuracy"])), "the candidate's score is its outer folds'");
            Assert.That(search.FoldInnerBest.Average(), Is.GreaterThan(outer + 0.03), "the inner best, chosen on its holdout, is optimistic");
            Assert.That(search.InnerBest, Is.Not.EqualTo(outer));
            Assert.That(outer, Is.InRange(0.3, 0.7), "honest on noise: about chance");
        });
    }

    [Test]
    public async Task Successive_halving_chooses_among_the_trials_fitted_on_all_rows()
    {
        var prepared = await Specs.PreparePenguinsAsync(PenguinSearch);
        var yaml = PenguinSearch.Replace("  trials: 4\n", "  strategy: halving\n  trials: 9\n");
        var spec = Specs.Parse($"name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\n{yaml}");
        var trials = new List<TrialRecord>();

        var lightgbm = new CrossValidationTrainer(NullLogger.Instance).Run(spec, prepared.Training, null, trials, CancellationToken.None).Report.Candidates[0];

        var search = lightgbm.Search!;
        var onAllRows = search.Trials.Where(t => t.Share == 1).Select(t => t.Trial).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(search.Trials.GroupBy(t => t.Share).Select(g => (g.Key, g.Count())), Is.EqualTo(new[] { (1 / 3.0, 9), (1.0, 3) }), "9 points on a third of the rows, the best 3 on all");
            Assert.That(trials, Has.Count.EqualTo((9 + 3) * 4));
            Assert.That(search.BestTrial, Is.AnyOf(onAllRows.Cast<object>().ToArray()));
            Assert.That(search.FoldParameters.Select(HyperparameterSearch.Describe).Distinct(),
                Is.SubsetOf(search.Trials.Where(t => t.Share == 1).Select(t => HyperparameterSearch.Describe(t.Parameters)).Distinct()),
                "every outer fold takes a trial that ran on all rows");
            Assert.That(lightgbm.Metrics["macro_accuracy"].Mean, Is.GreaterThan(0.9));
        });
    }

    [Test]
    public async Task Cancelling_stops_between_trials_and_keeps_the_finished_ones()
    {
        var prepared = await Specs.PreparePenguinsAsync(PenguinSearch);
        var spec = PipelineSpecLoader.Parse($"name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\n{PenguinSearch}", Specs.File, Repository.PenguinsCsv);
        using var cancel = new CancellationTokenSource();
        var trials = new List<TrialRecord>();
        var logger = new CancellingLogger("[lightgbm search 2/4]", cancel);

        Assert.Throws<OperationCanceledException>(() => new CrossValidationTrainer(logger).Run(spec, prepared.Training, null, trials, cancel.Token));

        Assert.That(trials.Select(t => t.Trial).Distinct(), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(trials, Has.Count.EqualTo(2 * 4));
    }

    private static IEnumerable<(string, int, int?, string, double)> Without(IEnumerable<TrialRecord> records) =>
        records.Select(r => (r.Trainer, r.Trial, r.OuterFold, HyperparameterSearch.Describe(r.Parameters), r.Score));
}
