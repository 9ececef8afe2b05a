using Layercake.Development.Training;
using Layercake.Pipelines;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Development.Training;

[Category(Categories.Integration)]
public sealed class CrossValidationTrainerTests
{
    [Test]
    public async Task Every_candidate_has_every_fold_and_results_repeat_for_a_seed()
    {
        var prepared = await Specs.PreparePenguinsAsync("trainers: [sdca, lightgbm]\nfolds: 3\n");
        var spec = PipelineSpecLoader.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\ntrainers: [sdca, lightgbm]\nfolds: 3\n", Specs.File, Repository.PenguinsCsv);

        var first = new CrossValidationTrainer(NullLogger.Instance).Run(spec, prepared.Training, CancellationToken.None).Report;
        var second = new CrossValidationTrainer(NullLogger.Instance).Run(spec, prepared.Training, CancellationToken.None).Report;

        Assert.That(first.Candidates.Select(c => c.Folds.Count), Is.EqualTo(new[] { 3, 3 }));
        Assert.That(first.Candidates.SelectMany(c => c.Folds).All(f => f.Metrics.Count == 4));
        Assert.That(
            first.Candidates.SelectMany(c => c.Folds.SelectMany(f => f.Metrics.Values)),
            Is.EqualTo(second.Candidates.SelectMany(c => c.Folds.SelectMany(f => f.Metrics.Values))),
            "the same seed must give the same metrics");
        Assert.That(first.Winner, Is.EqualTo(first.Ranked()[0].Name));
    }
}
