using Layercake.Management.Promotion;
using Layercake.Pipelines;
using Layercake.Pipelines.Gates;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;

namespace Layercake.Tests.Management.Promotion;

[Category(Categories.Unit)]
public sealed class ChampionChallengerGateTests
{
    private static ModelManifest WithAccuracy(string version, double mean) =>
        FakePackages.Manifest("penguins", version, new Dictionary<string, string>()) with
        {
            CrossValidation = new Dictionary<string, IReadOnlyDictionary<string, MetricSummary>> { ["sdca"] = new Dictionary<string, MetricSummary> { ["macro_accuracy"] = new(mean, 0.01, [mean]) } },
        };

    [Test]
    public void Without_a_champion_the_challenger_passes_and_says_there_was_no_baseline()
    {
        var result = ChampionChallengerGate.Evaluate(WithAccuracy("1.1.0", 0.5), null, ChampionGate.Default);

        Assert.That((result.Passed, result.Describe()), Is.EqualTo((true, "no version is live there yet, so there is no baseline to compare with; passed")));
    }

    [TestCase(0.97, 0.96, 0.0, null, false)]
    [TestCase(0.97, 0.97, 0.0, null, true)]
    [TestCase(0.97, 0.96, 0.02, null, true)]
    [TestCase(0.97, 0.94, 0.02, null, false)]
    [TestCase(0.90, 0.89, 0.0, 0.02, true)]
    [TestCase(0.90, 0.87, 0.0, 0.02, false)]
    public void A_challenger_may_fall_short_only_by_the_allowed_absolute_or_relative_drop(double champion, double challenger, double absolute, double? relative, bool passes)
    {
        var result = ChampionChallengerGate.Evaluate(WithAccuracy("1.1.0", challenger), WithAccuracy("1.0.0", champion), new ChampionGate(absolute, relative));

        Assert.Multiple(() =>
        {
            Assert.That(result.Passed, Is.EqualTo(passes), result.Describe());
            Assert.That(result.Improvement, Is.EqualTo(challenger - champion).Within(1e-12));
            Assert.That(result.Describe(), Does.Contain("champion 1.0.0").And.Contain(passes ? "passed" : "refused"));
        });
    }

    [Test]
    public void For_a_metric_where_lower_is_better_a_rise_is_the_regression()
    {
        var champion = WithAccuracy("1.0.0", 0) with { PrimaryMetric = "log_loss", CrossValidation = new Dictionary<string, IReadOnlyDictionary<string, MetricSummary>> { ["sdca"] = new Dictionary<string, MetricSummary> { ["log_loss"] = new(0.10, 0, [0.10]) } } };

        var worse = ChampionChallengerGate.Evaluate(ModelTask.Multiclass, "log_loss", 0.20, champion, ChampionGate.Default);
        var better = ChampionChallengerGate.Evaluate(ModelTask.Multiclass, "log_loss", 0.05, champion, ChampionGate.Default);

        Assert.Multiple(() =>
        {
            Assert.That(worse.Passed, Is.False);
            Assert.That(better.Passed, Is.True);
            Assert.That(better.Improvement, Is.EqualTo(0.05).Within(1e-12));
        });
    }
}
