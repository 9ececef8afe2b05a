using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Development.Training;
using Layercake.Development.Training.Search;
using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.EndToEnd;

/// <summary>pipelines/penguins-search.yaml as a user runs it: a nested search per trainer, through to a registered version.</summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class SearchPipelineTests
{
    [Test]
    public async Task The_search_example_packages_the_searched_winner_and_the_stage_skip_covers_search_settings()
    {
        using var workspace = new Workspace();

        var run = await workspace.BuildAsync("--pipeline=pipelines/penguins-search.yaml", "--target=Package");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
        var train = workspace.PathOf("artifacts/penguins-search/train");
        var cv = PackageJson.Deserialize<CrossValidationReport>(File.ReadAllText(Path.Combine(train, "cv.json")), "cv.json");
        var trials = PackageJson.Deserialize<List<TrialRecord>>(File.ReadAllText(Path.Combine(train, "trials.json")), "trials.json");
        var manifest = PackageJson.Deserialize<ModelManifest>(File.ReadAllText(workspace.PathOf("models/penguins-search/1.0.0/manifest.json")), "manifest.json");
        var card = File.ReadAllText(workspace.PathOf("models/penguins-search/1.0.0/MODEL_CARD.md"));
        var report = File.ReadAllText(workspace.PathOf("artifacts/penguins-search/evaluate/report.html"));
        Assert.Multiple(() =>
        {
            Assert.That(trials, Has.Count.EqualTo(2 * 8 * 6), "2 trainers × 8 trials × (5 outer folds + all rows)");
            Assert.That(cv.Candidates.Select(c => c.Search?.Trials.Count), Is.All.EqualTo(8));
            Assert.That(run.Output, Does.Contain("[lightgbm search 8/8]"), "progress per trial");
            Assert.That(run.Output, Does.Contain("scored by nested cross-validation"), "the leaderboard says how searched scores were made");
            Assert.That(run.Output, Does.Contain("| parameters").And.Contain("(searched)"));
            Assert.That(manifest.TrainerParameters.Keys, Is.SupersetOf(cv.WinnerResult.Search!.Searched));
            Assert.That(manifest.TrainerSearch, Does.StartWith("random search over"));
            Assert.That(card, Does.Contain("**Parameters chosen by**").And.Contain("optimism of the inner best"));
            Assert.That(report, Does.Contain("<h2>Hyper-parameter search</h2>").And.Contain("search-lightgbm.png").And.Contain("search-sdca.png"));
            Assert.That(File.Exists(workspace.PathOf("artifacts/penguins-search/evaluate/search-lightgbm.png")));
            Assert.That(cv.WinnerResult.Metrics["macro_accuracy"].Mean, Is.GreaterThan(0.95));
        });
        var recorded = (await new RunStore(workspace.PathOf("models/runs.db")).ListAsync("penguins-search", null, null, CancellationToken.None)).Single();
        Assert.That(recorded.Trials, Has.Count.EqualTo(2 * 8), "the run store keeps every trial of both searches");
        Assert.That(recorded.Trials.Where(t => t.Candidate == "lightgbm").Select(t => t.Parameters.Keys), Is.All.Contains("number_of_leaves"));
        Assert.That(recorded.Trials.Select(t => t.Metrics["macro_accuracy"]), Is.All.InRange(0.0, 1.0));

        var again = await workspace.BuildAsync("--pipeline=pipelines/penguins-search.yaml", "--target=Train");
        var yaml = workspace.PathOf("pipelines/penguins-search.yaml");
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("trials: 8 ", "trials: 3 "));
        var changed = await workspace.BuildAsync("--pipeline=pipelines/penguins-search.yaml", "--target=Train");

        Assert.That(again.Output, Does.Contain("Skipping Train"), again.All);
        Assert.That(changed.ExitCode, Is.EqualTo(0), changed.All);
        Assert.That(changed.Output, Does.Not.Contain("Skipping Train").And.Contain("[lightgbm search 3/3]"), "a changed search budget trains again");
    }
}
