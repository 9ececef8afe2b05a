using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace Layercake.Tests.Development.Experiments;

[Category(Categories.Unit)]
public sealed class RunStoreTests
{
    [Test]
    public async Task A_saved_run_reads_back_with_every_field_metric_per_fold_and_stage()
    {
        using var directory = new TempDirectory();
        var store = new RunStore(directory.File("runs.db"));
        var run = SampleRuns.Make("r1", outcome: RunOutcomes.GateFailed) with
        {
            RerunOf = "r0",
            ErrorStage = "Evaluate",
            Trials = [new RunTrial("sdca", 1, new Dictionary<string, double> { ["l2_regularization"] = 0.01 }, new Dictionary<string, double> { ["macro_accuracy"] = 0.9 })],
        };

        await store.SaveAsync(run, CancellationToken.None);
        var read = (await store.FindAsync("r1", CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(read.Pipeline, Is.EqualTo("penguins"));
            Assert.That(read.StartedAt, Is.EqualTo(run.StartedAt));
            Assert.That(read.EndedAt, Is.EqualTo(run.EndedAt));
            Assert.That(read.Outcome, Is.EqualTo(RunOutcomes.GateFailed));
            Assert.That(read.FailedGates, Is.EqualTo(run.FailedGates));
            Assert.That(read.ErrorStage, Is.EqualTo("Evaluate"));
            Assert.That((read.GitCommit, read.GitDirty, read.GitBranch), Is.EqualTo((run.GitCommit, true, "main")));
            Assert.That(read.PipelineYaml, Is.EqualTo(run.PipelineYaml));
            Assert.That((read.DataSha256, read.DataRows), Is.EqualTo((run.DataSha256, 344)));
            Assert.That(read.RerunOf, Is.EqualTo("r0"));
            Assert.That(read.Candidates.Select(c => (c.Name, c.Kind, c.IsBaseline)), Is.EqualTo(run.Candidates.Select(c => (c.Name, c.Kind, c.IsBaseline))));
            Assert.That(read.Candidates[0].Parameters, Is.EqualTo(run.Candidates[0].Parameters));
            var sdca = read.Candidates[0].Metrics["macro_accuracy"];
            Assert.That(sdca.Folds, Is.EqualTo(run.Candidates[0].Metrics["macro_accuracy"].Folds));
            Assert.That((sdca.Mean, sdca.StdDev), Is.EqualTo((run.Candidates[0].Metrics["macro_accuracy"].Mean, 0.0158)));
            Assert.That(read.Stages, Is.EqualTo(run.Stages));
            Assert.That(read.Trials.Single().Parameters["l2_regularization"], Is.EqualTo(0.01));
            Assert.That(read.PrimarySummary!.Mean, Is.EqualTo(0.95).Within(1e-12));
        });
    }

    [Test]
    public async Task A_metric_that_is_not_a_number_stays_not_a_number()
    {
        using var directory = new TempDirectory();
        var store = new RunStore(directory.File("runs.db"));
        var run = SampleRuns.Make("nan");
        var broken = run.Candidates[0] with { Metrics = new Dictionary<string, Layercake.Runtime.Manifest.Evaluation.MetricSummary> { ["macro_accuracy"] = new(double.NaN, double.NaN, [0.9, double.NaN]) } };
        await store.SaveAsync(run with { Candidates = [broken] }, CancellationToken.None);

        var read = (await store.FindAsync("nan", CancellationToken.None))!.Candidates[0].Metrics["macro_accuracy"];

        Assert.That((read.Mean, read.StdDev, read.Folds[0], read.Folds[1]), Is.EqualTo((double.NaN, double.NaN, 0.9, double.NaN)));
    }

    [Test]
    public async Task Runs_list_newest_first_by_pipeline_and_outcome_and_last_names_recent_runs_of_a_pipeline()
    {
        using var directory = new TempDirectory();
        var store = new RunStore(directory.File("runs.db"));
        var t0 = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        await store.SaveAsync(SampleRuns.Make("p1", started: t0), CancellationToken.None);
        await store.SaveAsync(SampleRuns.Make("c1", "cars", t0.AddMinutes(1)), CancellationToken.None);
        await store.SaveAsync(SampleRuns.Make("p2", started: t0.AddMinutes(2), outcome: RunOutcomes.GateFailed), CancellationToken.None);
        await store.SaveAsync(SampleRuns.Make("p3", started: t0.AddMinutes(3), outcome: RunOutcomes.Packaged), CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That((await store.ListAsync(null, null, null, CancellationToken.None)).Select(r => r.Id), Is.EqualTo(new[] { "p3", "p2", "c1", "p1" }));
            Assert.That((await store.ListAsync("penguins", null, 2, CancellationToken.None)).Select(r => r.Id), Is.EqualTo(new[] { "p3", "p2" }));
            Assert.That((await store.ListAsync(null, RunOutcomes.GateFailed, null, CancellationToken.None)).Select(r => r.Id), Is.EqualTo(new[] { "p2" }));
            Assert.That((await store.ResolveAsync("last", "penguins", CancellationToken.None)).Id, Is.EqualTo("p3"));
            Assert.That((await store.ResolveAsync("last~2", "penguins", CancellationToken.None)).Id, Is.EqualTo("p1"));
            Assert.That((await store.ResolveAsync("c1", "penguins", CancellationToken.None)).Id, Is.EqualTo("c1"), "an id names a run of any pipeline");
            Assert.That(async () => await store.ResolveAsync("last~3", "penguins", CancellationToken.None),
                Throws.ArgumentException.With.Message.Contains("has 3 recorded run(s)").And.Message.Contains("needs at least 4"));
            Assert.That(async () => await store.ResolveAsync("nope", "penguins", CancellationToken.None),
                Throws.ArgumentException.With.Message.Contains("There is no run 'nope'"));
        });
    }

    [Test]
    public async Task A_version_1_store_is_migrated_in_place_keeping_its_runs()
    {
        using var directory = new TempDirectory();
        var path = directory.File("runs.db");
        await using (var v1 = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await v1.OpenAsync();
            await RunStoreSchema.ExecuteAsync(v1, RunStoreSchema.Migrations[0] + "PRAGMA user_version = 1;", CancellationToken.None);
            await RunStoreSchema.ExecuteAsync(v1, """
                INSERT INTO runs(id, pipeline, started_at, ended_at, outcome, failed_gates, git_commit, git_dirty, pipeline_file, pipeline_yaml, data_file, data_sha256, data_rows, primary_metric, higher_is_better, winner)
                VALUES('old', 'penguins', '2026-11-01T08:00:00.0000000Z', '2026-11-01T08:01:00.0000000Z', 'packaged', '[]', 'abc', 0, '/p.yaml', 'name: penguins', '/d.csv', 'ff', 10, 'macro_accuracy', 1, 'sdca');
                INSERT INTO candidates(run_id, name, kind, is_baseline, parameters) VALUES('old', 'sdca', 'sdca', 0, '{"l2_regularization": 0.5}');
                INSERT INTO metrics(run_id, candidate, metric, mean, std) VALUES('old', 'sdca', 'macro_accuracy', 0.9, 0.01);
                INSERT INTO fold_metrics(run_id, candidate, metric, fold, value) VALUES('old', 'sdca', 'macro_accuracy', 1, 0.89), ('old', 'sdca', 'macro_accuracy', 2, 0.91);
                """, CancellationToken.None);
        }

        var store = new RunStore(path);
        await store.SaveAsync(SampleRuns.Make("new"), CancellationToken.None);
        var runs = await store.ListAsync(null, null, null, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(runs.Select(r => r.Id), Is.EquivalentTo(new[] { "old", "new" }));
            var old = runs.Single(r => r.Id == "old");
            Assert.That((old.GitBranch, old.RerunOf, old.Trials.Count), Is.EqualTo(((string?)null, (string?)null, 0)), "columns added by version 2 are empty on old runs");
            Assert.That(old.PrimarySummary!.Folds, Is.EqualTo(new[] { 0.89, 0.91 }));
            Assert.That(old.Candidates[0].Parameters["l2_regularization"], Is.EqualTo(0.5));
            await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
            await check.OpenAsync();
            Assert.That(await RunStoreSchema.VersionAsync(check, CancellationToken.None), Is.EqualTo(RunStoreSchema.CurrentVersion));
        });
    }

    [Test]
    public async Task A_store_from_a_newer_Layercake_is_refused_and_left_alone()
    {
        using var directory = new TempDirectory();
        var path = directory.File("runs.db");
        var store = new RunStore(path);
        await store.SaveAsync(SampleRuns.Make("r1"), CancellationToken.None);
        await using (var newer = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await newer.OpenAsync();
            await RunStoreSchema.ExecuteAsync(newer, $"PRAGMA user_version = {RunStoreSchema.CurrentVersion + 1}", CancellationToken.None);
        }

        Assert.That(async () => await store.ListAsync(null, null, null, CancellationToken.None),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains($"schema version {RunStoreSchema.CurrentVersion + 1}").And.Message.Contains("newer Layercake").And.Message.Contains(path));
        await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        await check.OpenAsync();
        Assert.That(await RunStoreSchema.VersionAsync(check, CancellationToken.None), Is.EqualTo(RunStoreSchema.CurrentVersion + 1));
    }
}
