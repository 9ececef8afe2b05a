using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Comparison;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Experiments;

[Category(Categories.Unit)]
public sealed class RunComparerTests
{
    [Test]
    public void Pipeline_keys_are_paths_and_list_items_with_a_name_are_keyed_by_it_so_reordering_is_no_change()
    {
        var before = "name: p\ntrainers:\n  - name: a\n    params: {x: 1}\n  - name: b\n    params: {y: 2}\nfolds: 5\n";
        var after = "name: p\ntrainers:\n  - name: b\n    params: {y: 3}\n  - name: a\n    params: {x: 1}\nfolds: 5\ngates:\n  metrics: [acc >= 0.9]\n";

        var diff = PipelineKeys.Diff(before, after);

        Assert.That(diff, Is.EqualTo(new (string, string?, string?)[] { ("gates.metrics[0]", null, "acc >= 0.9"), ("trainers[b].params.y", "2", "3") }));
    }

    [Test]
    public void Parameters_and_metrics_are_compared_winners_first_with_the_fold_spread_deciding_the_verdict()
    {
        var old = SampleRuns.Make("a", l2: 0.001);
        var @new = SampleRuns.Make("b", offset: 0.05, l2: 0.1);

        var comparison = RunComparer.Compare(old, @new);

        Assert.Multiple(() =>
        {
            Assert.That(comparison.Parameters, Is.EqualTo(new[] { new ParameterChange("sdca", "l2_regularization", "0.001", "0.1") }));
            Assert.That(comparison.PipelineKeys, Is.Empty, "the parameter change is said once, in the parameters table");
            Assert.That(comparison.DataChanged, Is.False);
            var winner = comparison.Metrics.First();
            Assert.That((winner.Candidate, winner.Metric), Is.EqualTo(("winner (sdca)", "macro_accuracy")));
            Assert.That(winner.Change, Is.EqualTo(0.05).Within(1e-12));
            Assert.That(winner.Verdict, Is.EqualTo("beyond fold spread"), "0.05 against a spread of 0.0158");
            Assert.That(comparison.Metrics.Single(m => m.Candidate == "baseline" && m.Metric == "macro_accuracy").Verdict, Is.EqualTo("unchanged"));
            Assert.That(comparison.Markdown(), Does.Contain("| sdca      | l2_regularization | 0.001 | 0.1 |").And.Contain("Data unchanged"));
        });
    }

    [Test]
    public void A_small_change_is_within_the_spread_and_a_candidate_only_in_one_run_is_new()
    {
        var old = SampleRuns.Make("a");
        var @new = SampleRuns.Make("b", offset: 0.01);
        @new = @new with { Candidates = [.. @new.Candidates, @new.Candidates[0] with { Name = "extra" }] };

        var comparison = RunComparer.Compare(old, @new);

        Assert.That(comparison.Metrics.First().Verdict, Is.EqualTo("within fold spread"));
        Assert.That(comparison.Metrics.Where(m => m.Candidate == "extra").Select(m => m.Verdict).Distinct(), Is.EqualTo(new[] { "new" }));
        Assert.That(comparison.Parameters, Does.Contain(new ParameterChange("extra", "(trainer)", null, "sdca")));
    }
}
