using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.EndToEnd;

/// <summary>The run store as a user meets it: builds recorded on every outcome, listed, compared and re-run.</summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class ExperimentHistoryTests
{
    [Test]
    public async Task Every_outcome_is_recorded_and_Runs_lists_filters_and_exports_them()
    {
        using var workspace = new Workspace();
        var packaged = await workspace.BuildAsync("--target=Package");
        Assert.That(packaged.ExitCode, Is.EqualTo(0), packaged.All);

        var pipeline = workspace.PathOf("pipelines/penguins.yaml");
        File.WriteAllText(pipeline, File.ReadAllText(pipeline).Replace("macro_accuracy >= 0.95", "macro_accuracy >= 0.9999", StringComparison.Ordinal));
        var gateFailed = await workspace.BuildAsync("--target=Package");
        Assert.That(gateFailed.ExitCode, Is.Not.EqualTo(0), gateFailed.All);

        var data = workspace.PathOf("data/penguins.csv");
        File.AppendAllText(data, "Adelie,Torgersen,not-a-number,18.7,181,3750,MALE\n");
        var dataError = await workspace.BuildAsync("--target=Evaluate");
        Assert.That(dataError.ExitCode, Is.Not.EqualTo(0), dataError.All);

        var runs = await new RunStore(workspace.PathOf("models/runs.db")).ListAsync(null, null, null, CancellationToken.None);
        Assert.That(runs.Select(r => r.Outcome), Is.EqualTo(new[] { RunOutcomes.GateFailed, RunOutcomes.Packaged }), "a build that stopped in Prepare never reached Train");
        var (failed, ok) = (runs[0], runs[1]);
        Assert.Multiple(() =>
        {
            Assert.That(ok.RegisteredVersion, Is.EqualTo("1.0.0"));
            Assert.That(ok.Winner, Is.Not.Null);
            Assert.That(ok.Candidates.Select(c => c.Name), Is.EquivalentTo(new[] { "sdca", "lightgbm", "fasttree", "baseline" }));
            Assert.That(ok.PrimarySummary!.Folds, Has.Count.EqualTo(5));
            Assert.That(ok.Stages.Select(s => (s.Name, s.Status)), Is.EqualTo(new[] { ("Prepare", "ran"), ("Train", "ran"), ("Evaluate", "ran"), ("Package", "ran") }));
            Assert.That(ok.DataRows, Is.EqualTo(344));
            Assert.That(ok.DataSha256, Is.EqualTo(Sha256.OfText(File.ReadAllText(data).Replace("Adelie,Torgersen,not-a-number,18.7,181,3750,MALE\n", "", StringComparison.Ordinal))));
            Assert.That(ok.PipelineYaml, Does.Contain("macro_accuracy >= 0.95"), "the pipeline as it was, not as it is now");
            Assert.That(File.Exists(Path.Combine(ok.ArtifactsFolder!, "train", "cv.json")) && File.Exists(Path.Combine(ok.ArtifactsFolder!, "evaluate", "report.html")));
            Assert.That(File.Exists(Path.Combine(ok.ArtifactsFolder!, "prepare", "prepared.csv")), Is.False, "the data is referenced by hash, not copied");

            Assert.That(failed.FailedGates.Single(), Does.Contain("macro_accuracy >= 0.9999"));
            Assert.That(failed.ErrorStage, Is.EqualTo("Evaluate"));
            Assert.That(failed.Stages.Select(s => (s.Name, s.Status)), Is.EqualTo(new[] { ("Prepare", "skipped"), ("Train", "skipped"), ("Evaluate", "failed") }), "Train was cached and still counts");
            Assert.That(RunListing.Outcome(failed), Does.EndWith("cached Prepare and Train"));
            Assert.That(failed.Winner, Is.EqualTo(ok.Winner));
            Assert.That(File.Exists(Path.Combine(failed.ArtifactsFolder!, "evaluate", "gates.json")));
        });

        var table = await workspace.BuildAsync("--target=Runs", "--outcome=gate_failed");
        Assert.That(table.ExitCode, Is.EqualTo(0), table.All);
        Assert.That(table.Output, Does.Contain(failed.Id).And.Contain("gate failed").And.Not.Contain(ok.Id));
        var json = await workspace.BuildAsync("--target=Runs", "--format=json", "--limit=2", "--output=runs.json");
        Assert.That(json.ExitCode, Is.EqualTo(0), json.All);
        var exported = PackageJson.Deserialize<ExperimentRun[]>(File.ReadAllText(workspace.PathOf("runs.json")), "runs.json");
        Assert.That(exported.Select(r => r.Id), Is.EqualTo(new[] { failed.Id, ok.Id }));
        var csv = await workspace.BuildAsync("--target=Runs", "--format=csv", "--output=runs.csv");
        Assert.That(csv.ExitCode, Is.EqualTo(0), csv.All);
        var lines = File.ReadAllText(workspace.PathOf("runs.csv")).Trim().Split('\n');
        Assert.That(lines[0], Does.StartWith("id,pipeline,started_at"));
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[2], Does.StartWith($"{ok.Id},penguins,").And.Contain(",packaged,").And.Contain(",1.0.0,"));
        var wrong = await workspace.BuildAsync("--target=Runs", "--outcome=won");
        Assert.That(wrong.All, Does.Contain("--outcome=won: not an outcome; expected one of: packaged, passed, trained, gate_failed, error"));
    }

    [Test]
    public async Task Compare_shows_a_changed_parameter_and_changed_data_and_from_run_repeats_a_run_or_refuses_changed_data()
    {
        using var workspace = new Workspace();
        Assert.That((await workspace.BuildAsync("--target=Evaluate")).ExitCode, Is.EqualTo(0));
        var pipeline = workspace.PathOf("pipelines/penguins.yaml");
        var original = File.ReadAllText(pipeline);
        File.WriteAllText(pipeline, original.Replace("l2_regularization: 0.001", "l2_regularization: 0.1", StringComparison.Ordinal));
        var data = workspace.PathOf("data/penguins.csv");
        var originalData = File.ReadAllBytes(data);
        var lines = File.ReadAllLines(data);
        File.WriteAllLines(data, lines.Take(lines.Length - 10));
        var second = await workspace.BuildAsync("--target=Train");
        Assert.That(second.ExitCode, Is.EqualTo(0), second.All);

        var compare = await workspace.BuildAsync("--target=Compare", "--runs=last~1,last");
        Assert.That(compare.ExitCode, Is.EqualTo(0), compare.All);
        Assert.That(compare.Output, Does.Contain("| sdca").And.Contain("l2_regularization | 0.001").And.Contain("| 0.1"));
        Assert.That(compare.Output, Does.Not.Contain("trainers[sdca].params.l2_regularization"), "said once, as a parameter");
        Assert.That(compare.Output, Does.Contain("Data changed").And.Contain("rows 344 → 334"));
        Assert.That(compare.Output, Does.Contain("macro_accuracy").And.Contain("beyond fold spread"));
        var report = workspace.PathOf("artifacts/compare/compare.html");
        Assert.That(File.ReadAllText(report), Does.Contain("primary-metric.png").And.Contain("l2_regularization"));
        Assert.That(new FileInfo(workspace.PathOf("artifacts/compare/primary-metric.png")).Length, Is.GreaterThan(1000));

        var store = new RunStore(workspace.PathOf("models/runs.db"));
        var first = await store.ResolveAsync("last~1", "penguins", CancellationToken.None);
        var refused = await workspace.BuildAsync("--target=Train", $"--from-run={first.Id}");
        Assert.That(refused.ExitCode, Is.Not.EqualTo(0));
        Assert.That(refused.All, Does.Contain($"Run {first.Id}: the data has changed since that run").And.Contain(first.DataSha256!));

        File.WriteAllBytes(data, originalData);
        var rerun = await workspace.BuildAsync("--target=Train", $"--from-run={first.Id}", "--force");
        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.All);
        var repeated = await store.ResolveAsync("last", "penguins", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(repeated.RerunOf, Is.EqualTo(first.Id));
            Assert.That(repeated.PipelineYaml, Is.EqualTo(first.PipelineYaml), "the recorded pipeline, not the edited file");
            Assert.That(repeated.Winner, Is.EqualTo(first.Winner));
            foreach (var candidate in first.Candidates)
            {
                var again = repeated.Candidates.Single(c => c.Name == candidate.Name);
                Assert.That(again.Parameters, Is.EqualTo(candidate.Parameters), candidate.Name);
                foreach (var (metric, summary) in candidate.Metrics)
                {
                    Assert.That(again.Metrics[metric].Folds, Is.EqualTo(summary.Folds).Within(1e-9), $"{candidate.Name} {metric}: same folds, same figures");
                }
            }
        });
    }

    [Test]
    public async Task On_a_pull_request_the_job_summary_shows_the_diff_against_the_base_branchs_last_run()
    {
        using var workspace = new Workspace();
        var onMain = await workspace.BuildAsync(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_REF_NAME"] = "main" }, "--target=Evaluate");
        Assert.That(onMain.ExitCode, Is.EqualTo(0), onMain.All);
        var pipeline = workspace.PathOf("pipelines/penguins.yaml");
        File.WriteAllText(pipeline, File.ReadAllText(pipeline).Replace("l2_regularization: 0.001", "l2_regularization: 0.1", StringComparison.Ordinal));
        var summary = workspace.PathOf("summary.md");

        var pullRequest = await workspace.BuildAsync(new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_REF_NAME"] = "7/merge", ["GITHUB_HEAD_REF"] = "feature", ["GITHUB_BASE_REF"] = "main", ["GITHUB_STEP_SUMMARY"] = summary,
        }, "--target=Evaluate");

        Assert.That(pullRequest.ExitCode, Is.EqualTo(0), pullRequest.All);
        var text = File.ReadAllText(summary);
        Assert.That(text, Does.Contain("## penguins: against the last run on main").And.Contain("l2_regularization | 0.001").And.Contain("Data unchanged"));
        Assert.That(text, Does.Contain("winner (").And.Contain("macro_accuracy"));
        var runs = await new RunStore(workspace.PathOf("models/runs.db")).ListAsync("penguins", null, null, CancellationToken.None);
        Assert.That(runs.Select(r => r.GitBranch), Is.EqualTo(new[] { "feature", "main" }));
    }
}
