using Layercake.Development;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Comparison;
using Layercake.Development.Experiments.Store;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Development.Experiments;

/// <summary>The run list and Compare say what happened: no runs that never trained, cached repeats marked, errors skipped.</summary>
[Category(Categories.Unit)]
public sealed class RunSignalTests
{
    [Test]
    public async Task A_build_that_stopped_before_Train_is_not_recorded()
    {
        using var directory = new TempDirectory();
        var store = new RunStore(directory.File("runs.db"));
        var recorder = new RunRecorder(store, new RunArtifacts(directory.File("artifacts")), 20, null, NullLogger.Instance, TimeProvider.System);
        var spec = Specs.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\n");
        var facts = new RunFacts(spec, new ArtifactLayout(directory.File("artifacts"), "penguins"), DateTimeOffset.UtcNow, [new RunStage("Prepare", 0.1, RunStage.Failed)])
        {
            Failure = new FileNotFoundException("data 'x.csv' not found"),
            FailedStage = "Prepare",
        };

        var run = await recorder.RecordAsync(facts, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(run, Is.Null);
            Assert.That(await store.ListAsync(null, null, null, CancellationToken.None), Is.Empty);
        });
    }

    [Test]
    public void A_run_that_reused_cached_stages_says_so_in_the_list()
    {
        var cached = SampleRuns.Make("r2", outcome: RunOutcomes.Packaged) with
        {
            Stages = [new RunStage("Prepare", 0.1, RunStage.Skipped), new RunStage("Train", 0.1, RunStage.Skipped), new RunStage("Package", 2, RunStage.Ran)],
        };
        var fresh = SampleRuns.Make("r1", outcome: RunOutcomes.Packaged) with { Stages = [new RunStage("Train", 9, RunStage.Ran)] };

        var listing = new RunListing([cached, fresh]);

        Assert.Multiple(() =>
        {
            Assert.That(RunListing.Outcome(cached), Is.EqualTo("packaged, cached Prepare and Train"));
            Assert.That(RunListing.Outcome(fresh), Is.EqualTo("packaged"));
            Assert.That(listing.Render("csv").Split('\n')[1].TrimEnd('\r'), Does.EndWith(",Prepare; Train"));
        });
    }

    [Test]
    public async Task Last_skips_runs_that_ended_in_an_error_unless_asked_to_count_them()
    {
        using var directory = new TempDirectory();
        var store = new RunStore(directory.File("runs.db"));
        var t0 = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        await store.SaveAsync(SampleRuns.Make("ok1", started: t0), CancellationToken.None);
        await store.SaveAsync(SampleRuns.Make("ok2", started: t0.AddMinutes(1)), CancellationToken.None);
        await store.SaveAsync(SampleRuns.Make("broke", started: t0.AddMinutes(2), outcome: RunOutcomes.Error), CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That((await store.ResolveAsync("last", "penguins", CancellationToken.None)).Id, Is.EqualTo("ok2"));
            Assert.That((await store.ResolveAsync("last~1", "penguins", CancellationToken.None)).Id, Is.EqualTo("ok1"));
            Assert.That((await store.ResolveAsync("last", "penguins", CancellationToken.None, includeErrors: true)).Id, Is.EqualTo("broke"));
            Assert.That(async () => await store.ResolveAsync("last~2", "penguins", CancellationToken.None),
                Throws.ArgumentException.With.Message.Contains("has 2 recorded run(s)").And.Message.Contains("and 1 that did"));
        });
    }

    [Test]
    public void Compare_shows_what_changed_and_states_a_changed_parameter_once()
    {
        var comparison = RunComparer.Compare(SampleRuns.Make("a", l2: 0.001), SampleRuns.Make("b", offset: 0.05, l2: 0.1));

        var text = comparison.Markdown();
        var all = (comparison with { ShowUnchanged = true }).Markdown();

        Assert.Multiple(() =>
        {
            Assert.That(comparison.PipelineKeys, Is.Empty, "the l2 change is in the parameters table; not again as a pipeline key");
            Assert.That(text, Does.Not.Contain("trainers[sdca].params.l2_regularization").And.Contain("| sdca      | l2_regularization | 0.001 | 0.1 |"));
            Assert.That(text, Does.Not.Contain("| unchanged").And.Contain("unchanged metric rows are not shown"));
            Assert.That(text, Does.Not.Contain("| baseline"), "the baseline did not change");
            Assert.That(all, Does.Contain("unchanged").And.Not.Contain("are not shown"));
        });
    }
}
