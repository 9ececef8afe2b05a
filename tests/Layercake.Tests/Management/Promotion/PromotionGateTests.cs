using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Management.Promotion;
using Layercake.Pipelines.Gates;
using Layercake.Registry;
using Layercake.Management.Releases;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Management.Promotion;

/// <summary>Promote's checks on the local registry and history: gates, baseline, champion/challenger.</summary>
[Category(Categories.Unit)]
public sealed class PromotionGateTests
{
    private TempDirectory _root = null!;
    private LocalDeploymentHistory _history = null!;
    private PromotionGate _gate = null!;

    [SetUp]
    public async Task TwoVersions()
    {
        _root = new TempDirectory();
        await WriteAsync("1.0.0", accuracy: 0.97, gatePassed: true);
        await WriteAsync("1.1.0", accuracy: 0.93, gatePassed: true);
        await WriteAsync("1.2.0", accuracy: 0.99, gatePassed: false);
        _history = new LocalDeploymentHistory(_root.Path, TimeProvider.System);
        _gate = new PromotionGate(new LocalReleaseRegistry(new LocalModelRegistry(_root.Path, NullLogger.Instance, TimeProvider.System)), _history);
    }

    [TearDown]
    public void Remove() => _root.Dispose();

    [Test]
    public async Task The_first_promotion_to_an_environment_passes_without_a_baseline()
    {
        var decision = await _gate.DecideAsync("penguins", SemanticVersion.Parse("1.1.0", "test"), "production", ChampionGate.Default, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(decision.ChampionVersion, Is.Null);
            Assert.That(decision.Comparison.Describe(), Does.Contain("no baseline"));
            Assert.That(decision.Candidate.Version.ToString(), Is.EqualTo("1.1.0"));
        });
    }

    [Test]
    public async Task A_challenger_that_regresses_against_the_live_champion_is_refused()
    {
        await LiveAsync("1.0.0");

        var error = Assert.ThrowsAsync<PromotionRefusedException>(() => _gate.DecideAsync("penguins", SemanticVersion.Parse("1.1.0", "test"), "production", ChampionGate.Default, CancellationToken.None))!;
        var allowed = await _gate.DecideAsync("penguins", SemanticVersion.Parse("1.1.0", "test"), "production", new ChampionGate(0.05, null), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("penguins 1.1.0 may not replace 1.0.0 in 'production'").And.Contain("challenger 0.93 vs champion 1.0.0 0.97").And.Contain("refused"));
            Assert.That(allowed.ChampionVersion, Is.EqualTo("1.0.0"));
            Assert.That(allowed.Comparison.Passed, Is.True);
        });
    }

    [Test]
    public async Task A_version_whose_own_gates_failed_is_refused_whatever_its_metric()
    {
        await LiveAsync("1.0.0");

        var error = Assert.ThrowsAsync<PromotionRefusedException>(() => _gate.DecideAsync("penguins", SemanticVersion.Parse("1.2.0", "test"), "production", ChampionGate.Default, CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("failed its gates"));
    }

    [Test]
    public async Task A_tampered_package_is_not_promoted()
    {
        await File.AppendAllTextAsync(Path.Combine(_root.Path, "penguins", "1.1.0", "model.onnx"), "tampered");

        var error = Assert.ThrowsAsync<InvalidDataException>(() => _gate.DecideAsync("penguins", SemanticVersion.Parse("1.1.0", "test"), "production", ChampionGate.Default, CancellationToken.None))!;

        Assert.That(error.Message, Does.Contain("model.onnx").And.Contain("differs from the sha256 in its manifest"));
    }

    private async Task LiveAsync(string version)
    {
        var record = await _history.StartAsync(new DeploymentRequest("penguins", "production", version, "sha256:x", "docker", "promote", "test"), CancellationToken.None);
        await _history.CompleteAsync(record, DeploymentState.Success, "live", CancellationToken.None);
    }

    private async Task WriteAsync(string version, double accuracy, bool gatePassed)
    {
        var written = await FakePackages.WriteAsync(_root.Path, "penguins", version, seed: version);
        var manifest = written.Manifest with
        {
            CrossValidation = new Dictionary<string, IReadOnlyDictionary<string, MetricSummary>> { ["sdca"] = new Dictionary<string, MetricSummary> { ["macro_accuracy"] = new(accuracy, 0.01, [accuracy]) } },
            Gates = [new GateOutcome("macro_accuracy >= 0.9", "macro_accuracy", ComparisonOperator.GreaterOrEqual, 0.9, accuracy, gatePassed)],
        };
        await File.WriteAllTextAsync(Path.Combine(written.Directory, "manifest.json"), PackageJson.Serialize(manifest));
    }
}
