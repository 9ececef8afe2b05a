using Docker.DotNet;
using Layercake.Deployment.History;
using Layercake.Management.Releases;
using Layercake.Monitoring;
using Layercake.Pipelines;
using Layercake.Registry;
using Layercake.Shared.Errors;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Monitoring;

/// <summary>Monitor without the build host: which version, which log, the outcome the task maps to its exit code.</summary>
[Category(Categories.Unit)]
public sealed class MonitorStageTests
{
    private TempDirectory _root = null!;
    private int _connections;

    [SetUp]
    public void Create()
    {
        _root = new TempDirectory();
        _connections = 0;
    }

    [TearDown]
    public void Remove() => _root.Dispose();

    [Test]
    public async Task A_given_log_is_compared_with_the_latest_version_without_Docker()
    {
        var stage = await StageAsync();
        var table = await PenguinTraffic.TableAsync();
        var rows = PenguinTraffic.Shuffled(table.RowCount, 5)[..200];
        PenguinTraffic.WriteLog(_root.File("healthy"), PenguinTraffic.AsTraffic(table, rows));
        PenguinTraffic.WriteLog(_root.File("drifted"), PenguinTraffic.AsTraffic(table, rows, change: (row, values) =>
            row % 4 == 0 ? new Dictionary<string, object?>(values) { ["Island"] = "Anvers" } : values));

        var healthy = await stage.RunAsync(Request(log: _root.File("healthy")), CancellationToken.None);
        var drifted = await stage.RunAsync(Request(log: _root.File("drifted")), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(healthy.Healthy, Is.True);
            Assert.That(healthy.Version, Is.EqualTo("1.0.0"));
            Assert.That(healthy.Title, Does.StartWith("Monitoring penguins 1.0.0: 200 predictions"));
            Assert.That(healthy.Table, Does.Contain("| Body Mass (g)"));
            Assert.That(File.Exists(Path.Combine(_root.Path, "artifacts", "monitor", "penguins", "monitor.json")), Is.True);
            Assert.That(drifted.Healthy, Is.False);
            Assert.That(drifted.BreachMessage, Does.StartWith("monitoring penguins 1.0.0 found ").And.Contain("unseen_category rate of Island")
                .And.EndWith($"Report: {Path.Combine(_root.Path, "artifacts", "monitor", "penguins", "report.html")}"));
            Assert.That(_connections, Is.Zero);
        });
    }

    [Test]
    public async Task Without_a_log_or_an_environment_it_says_how_to_give_one()
    {
        var stage = await StageAsync();

        var error = Assert.ThrowsAsync<ArgumentException>(() => stage.RunAsync(Request(log: null), CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("an environment's").And.Contain("a log file or folder"));
            Assert.That(_connections, Is.Zero);
        });
    }

    [Test]
    public async Task Since_last_needs_an_environment_to_remember()
    {
        var stage = await StageAsync();

        var error = Assert.ThrowsAsync<InvalidSettingException>(() => stage.RunAsync(Request(log: _root.File("any")) with { SinceLastRun = true }, CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That((error.Setting, error.Value), Is.EqualTo((SettingNames.Since, "last")));
            Assert.That(error.Problem, Does.Contain("needs an environment"));
            Assert.That(_connections, Is.Zero);
        });
    }

    private static MonitorRequest Request(string? log) =>
        new(PipelineSpecLoader.Parse(File.ReadAllText(Repository.PenguinsPipeline), Repository.PenguinsPipeline, Repository.PenguinsCsv), null, null, log, null, null);

    private async Task<MonitorStage> StageAsync()
    {
        var package = await TestPackages.PenguinsAsync();
        var registry = new LocalModelRegistry(Path.GetDirectoryName(Path.GetDirectoryName(package.Directory))!, NullLogger.Instance, TimeProvider.System);
        return new MonitorStage(
            new LocalReleaseRegistry(registry), registry, new LocalDeploymentHistory(_root.Path, TimeProvider.System), Connect, breach: null,
            Path.Combine(_root.Path, "artifacts"), NullLogger.Instance, TimeProvider.System);
    }

    private Task<DockerClient> Connect(CancellationToken cancellationToken)
    {
        _connections++;
        throw new InvalidOperationException("a given log needs no Docker engine");
    }
}
