using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.EndToEnd;

/// <summary>With MLFLOW_TRACKING_URI set, the build logs each run to the tracking server too (a local fake of MLflow's REST API).</summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class MlflowTrackingTests
{
    [Test]
    public async Task A_run_is_logged_with_params_metrics_per_fold_tags_status_and_its_report()
    {
        using var mlflow = new FakeMlflow();
        using var workspace = new Workspace();

        var build = await workspace.BuildAsync(new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = mlflow.Uri }, "--target=Evaluate");

        Assert.That(build.ExitCode, Is.EqualTo(0), build.All);
        var recorded = (await new RunStore(workspace.PathOf("models/runs.db")).ResolveAsync("last", "penguins", CancellationToken.None));
        var run = mlflow.Runs.Single();
        Assert.Multiple(() =>
        {
            Assert.That(mlflow.Experiments.Keys, Is.EqualTo(new[] { "penguins" }));
            Assert.That(run.Name, Is.EqualTo(recorded.Id));
            Assert.That(run.Status, Is.EqualTo("FINISHED"));
            Assert.That(run.Tags["mlflow.source.git.commit"], Is.EqualTo(recorded.GitCommit));
            Assert.That(run.Tags["layercake.data_sha256"], Is.EqualTo(recorded.DataSha256));
            Assert.That(run.Tags["layercake.outcome"], Is.EqualTo("passed"));
            Assert.That(run.Params["sdca.l2_regularization"], Is.EqualTo("0.001"));
            Assert.That(run.Params["winner"], Is.EqualTo(recorded.Winner));
            var folds = run.Metrics.Where(m => m.Key == "sdca.macro_accuracy").OrderBy(m => m.Step).ToArray();
            Assert.That(folds.Select(m => m.Step), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }), "one value per fold, the fold as its step");
            Assert.That(folds.Select(m => m.Value), Is.EqualTo(recorded.Candidates.Single(c => c.Name == "sdca").Metrics["macro_accuracy"].Folds).Within(1e-12));
            Assert.That(run.Metrics.Single(m => m.Key == "macro_accuracy").Value, Is.EqualTo(recorded.PrimarySummary!.Mean).Within(1e-12));
            Assert.That(mlflow.Artifacts.Keys, Does.Contain($"1/{run.Id}/artifacts/evaluate/report.html").And.Contain($"1/{run.Id}/artifacts/train/cv.json"));
            Assert.That(build.Output, Does.Contain("Logged run").And.Contain("to MLflow at"));
        });

        var second = await workspace.BuildAsync(new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = mlflow.Uri }, "--target=Evaluate");
        Assert.That(second.ExitCode, Is.EqualTo(0), second.All);
        Assert.That(mlflow.Experiments, Has.Count.EqualTo(1), "the pipeline's experiment is found by name, not created again");
        Assert.That(mlflow.Runs, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_tracking_server_that_fails_costs_one_warning_and_not_the_build()
    {
        using var mlflow = new FakeMlflow(failEverything: true);
        using var workspace = new Workspace();

        var build = await workspace.BuildAsync(new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = mlflow.Uri }, "--target=Train");

        Assert.That(build.ExitCode, Is.EqualTo(0), build.All);
        Assert.That(mlflow.Calls, Is.Not.Empty);
        var warnings = build.All.Split('\n').Where(l => l.Contains("WRN", StringComparison.Ordinal)).ToArray();
        Assert.That(warnings, Has.Length.EqualTo(1), build.All);
        Assert.That(warnings[0], Does.Contain("Could not log run").And.Contain("500").And.Contain("the tracking store is down").And.Contain("recorded locally"));
        Assert.That(await new RunStore(workspace.PathOf("models/runs.db")).ListAsync(null, null, null, CancellationToken.None), Has.Count.EqualTo(1));
    }
}
