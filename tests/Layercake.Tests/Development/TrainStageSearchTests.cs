using Layercake.Development;
using Layercake.Development.Training;
using Layercake.Development.Training.Search;
using Layercake.Pipelines;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Development;

/// <summary>Train with a search, cancelled mid-search: the stage commits nothing, and the finished trials are kept.</summary>
[Category(Categories.Integration)]
public sealed class TrainStageSearchTests
{
    private const string Pipeline = """
        name: search
        data: penguins.csv
        label: Species
        task: multiclass
        trainers:
          - type: lightgbm
            search:
              number_of_leaves: [4, 8, 16]
              learning_rate: { min: 0.02, max: 0.4, log: true }
        folds: 3
        search:
          trials: 5
        """;

    [Test]
    public async Task Cancelling_mid_search_keeps_the_finished_trials_beside_an_uncommitted_stage()
    {
        using var dir = new TempDirectory();
        File.Copy(Repository.PenguinsCsv, dir.File("penguins.csv"));
        var spec = PipelineSpecLoader.Parse(Pipeline, dir.Write("search.yaml", Pipeline));
        var layout = new ArtifactLayout(dir.File("artifacts"), spec.Name);
        await new PrepareStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        File.WriteAllText(Path.Combine(layout.PipelineRoot, TrainStage.CancelledTrialsFile), "[]");
        using var cancel = new CancellationTokenSource();

        Assert.CatchAsync<OperationCanceledException>(() =>
            new TrainStage(new CancellingLogger("[lightgbm search 3/5]", cancel), TimeProvider.System).RunAsync(spec, layout, cancel.Token));

        var kept = PackageJson.Deserialize<List<TrialRecord>>(File.ReadAllText(Path.Combine(layout.PipelineRoot, TrainStage.CancelledTrialsFile)), "trials");
        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(layout.Train), Is.False, "a cancelled Train commits nothing");
            Assert.That(kept.Select(t => t.Trial).Distinct(), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(kept, Has.Count.EqualTo(3 * 4), "each trial on 3 outer folds' holdouts and all rows'");
        });

        await new TrainStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);

        Assert.That(File.Exists(Path.Combine(layout.PipelineRoot, TrainStage.CancelledTrialsFile)), Is.False, "a finished Train supersedes a cancelled one's trials");
        Assert.That(PackageJson.Deserialize<List<TrialRecord>>(File.ReadAllText(Path.Combine(layout.Train, TrainStage.TrialsFile)), "trials"), Has.Count.EqualTo(5 * 4));
    }
}
