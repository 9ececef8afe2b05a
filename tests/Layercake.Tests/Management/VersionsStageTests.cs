using Layercake.Deployment.History;
using Layercake.Management;
using Layercake.Registry;
using Layercake.Management.Releases;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Management;

[Category(Categories.Unit)]
public sealed class VersionsStageTests
{
    [Test]
    public async Task Two_versions_are_listed_newest_first_with_where_each_is_and_was_live()
    {
        using var root = new TempDirectory();
        await FakePackages.WriteAsync(root.Path, "penguins", "1.0.0", seed: "a");
        await FakePackages.WriteAsync(root.Path, "penguins", "1.1.0", seed: "b");
        var history = new LocalDeploymentHistory(root.Path, TimeProvider.System);
        await LiveAsync(history, "staging", "1.0.0");
        await LiveAsync(history, "production", "1.0.0");
        await LiveAsync(history, "production", "1.1.0");
        var registry = new LocalReleaseRegistry(new LocalModelRegistry(root.Path, NullLogger.Instance, TimeProvider.System));

        var report = await new VersionsStage(registry, history).RunAsync("penguins", ["staging", "production", "spare"], CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(report.Versions.Select(v => v.Version), Is.EqualTo(new[] { "1.1.0", "1.0.0" }));
            Assert.That(report.Versions[0].LiveIn, Is.EqualTo(new[] { "production" }));
            Assert.That(report.Versions[0].WasLiveIn, Is.Empty);
            Assert.That(report.Versions[1].LiveIn, Is.EqualTo(new[] { "staging" }));
            Assert.That(report.Versions[1].WasLiveIn, Is.EqualTo(new[] { "production" }));
            Assert.That(report.Title, Is.EqualTo($"penguins in the local registry {root.Path}:"));
            Assert.That(report.Table, Does.Contain("| 1.1.0   | 2026-02-01 09:30 | sdca    | macro_accuracy 0.9712 ± 0.0123 | 1 passed | production | -           |"));
            Assert.That(report.Table, Does.Contain("| 1.0.0   | 2026-02-01 09:30 | sdca    | macro_accuracy 0.9712 ± 0.0123 | 1 passed | staging    | production  |"));
            Assert.That(report.Text, Is.EqualTo(report.Table));
            Assert.That(report.Markdown, Does.StartWith("### penguins versions\n\n| version"));
        });
    }

    [Test]
    public async Task A_model_without_versions_says_so()
    {
        using var root = new TempDirectory();
        var registry = new LocalReleaseRegistry(new LocalModelRegistry(root.Path, NullLogger.Instance, TimeProvider.System));

        var report = await new VersionsStage(registry, new LocalDeploymentHistory(root.Path, TimeProvider.System)).RunAsync("penguins", [], CancellationToken.None);

        Assert.That(report.Text, Is.EqualTo("no versions\n"));
    }

    [Test]
    public async Task Without_a_model_every_pipelines_model_is_listed_and_those_without_versions_are_named()
    {
        using var root = new TempDirectory();
        await FakePackages.WriteAsync(root.Path, "penguins", "1.0.0", seed: "a");
        await FakePackages.WriteAsync(root.Path, "cars", "1.0.0", seed: "b");
        var pipelines = Directory.CreateDirectory(Path.Combine(root.Path, "pipelines")).FullName;
        foreach (var name in new[] { "penguins", "cars", "weather" })
        {
            await File.WriteAllTextAsync(Path.Combine(pipelines, $"{name}.yaml"), $"name: {name}\ndata: x.csv\nlabel: y\ntask: regression\n");
        }

        await File.WriteAllTextAsync(Path.Combine(pipelines, "broken.yaml"), "name: broken\ntask: nonsense\n");
        var registry = new LocalReleaseRegistry(new LocalModelRegistry(root.Path, NullLogger.Instance, TimeProvider.System));

        var all = await new VersionsStage(registry, new LocalDeploymentHistory(root.Path, TimeProvider.System)).RunAllAsync(pipelines, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(all.WithVersions.Select(m => m.Model), Is.EqualTo(new[] { "cars", "penguins" }));
            Assert.That(all.Footer, Does.Contain("No versions yet: weather.").And.Contain("Not listed, the pipeline could not be read: broken.yaml"));
            Assert.That(all.Markdown, Does.Contain("### cars versions").And.Contain("### penguins versions"));
        });
    }

    private static async Task LiveAsync(LocalDeploymentHistory history, string environment, string version)
    {
        var record = await history.StartAsync(new DeploymentRequest("penguins", environment, version, "sha256:x", "docker", "deploy", "test"), CancellationToken.None);
        await history.CompleteAsync(record, DeploymentState.Success, "live", CancellationToken.None);
    }
}
