using Layercake.Deployment;
using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment;

[Category(Categories.Unit)]
public sealed class StatusStageTests
{
    private static readonly DateTimeOffset Since = new(2026, 11, 20, 6, 30, 0, TimeSpan.Zero);

    [Test]
    public async Task The_report_holds_what_the_target_sees_and_the_ten_latest_deployments()
    {
        using var root = new TempDirectory();
        var history = new LocalDeploymentHistory(root.Path, new InstantTimeProvider(Since));
        for (var minor = 0; minor < 12; minor++)
        {
            var record = await history.StartAsync(new DeploymentRequest("penguins", "staging", $"1.{minor}.0", "sha256:x", "docker", "deploy", $"deploy penguins 1.{minor}.0"), CancellationToken.None);
            await history.CompleteAsync(record, DeploymentState.Success, "switched", CancellationToken.None);
        }

        var environment = Specs.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\nenvironments:\n  staging:\n    port: 8601\n").Environment("staging");
        var target = new SeenTarget(new EnvironmentStatus("staging", "docker", 8601,
            [new InstanceStatus("layercake-penguins-staging-1.11.0-ab12", "1.11.0", "layercake/penguins:1.11.0", "sha256:0123456789abcdef0123", Since, "running", "healthy")], "1 container"));

        var report = await new StatusStage(_ => target, history).RunAsync("penguins", environment, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(report.Recent.Select(r => r.Version), Is.EqualTo(Enumerable.Range(2, 10).Reverse().Select(m => $"1.{m}.0")));
            Assert.That(report.InstancesTitle, Is.EqualTo("penguins in staging (docker, port 8601): 1 container"));
            Assert.That(report.InstancesTable, Does.Contain("| layercake-penguins-staging-1.11.0-ab12 | 1.11.0  | layercake/penguins:1.11.0 (0123456789ab) | 2026-11-20 06:30:00 | running | healthy |"));
            Assert.That(report.RecentTitle, Is.EqualTo("Latest deployments of staging:"));
            Assert.That(report.RecentTable, Does.Match(@"\| 12 +\| 1\.11\.0 +\| deploy \| success +\| 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d \| switched +\|"));
            Assert.That(report.RecentTable, Does.Not.Contain("| 1.1.0 "), "only the ten latest");
            Assert.That(report.Markdown, Does.StartWith("### penguins in staging\n\n| instance"));
        });
    }

    [TestCase("1.1.0", "1.1.0", null)]
    [TestCase("1.0.0", "1.1.0", "penguins in staging (docker, port 8601): seen; the history's live version 1.1.0 is not running; running but not recorded live: 1.0.0")]
    [TestCase("1.0.0,1.1.0", "1.1.0", "penguins in staging (docker, port 8601): seen; running but not recorded live: 1.0.0")]
    [TestCase("", "1.1.0", "penguins in staging (docker, port 8601): seen; the history's live version 1.1.0 is not running")]
    public async Task The_title_says_where_the_engine_and_the_history_disagree(string running, string recordedLive, string? expected)
    {
        using var root = new TempDirectory();
        var history = new LocalDeploymentHistory(root.Path, new InstantTimeProvider(Since));
        var record = await history.StartAsync(new DeploymentRequest("penguins", "staging", recordedLive, "sha256:x", "docker", "deploy", "deploy"), CancellationToken.None);
        await history.CompleteAsync(record, DeploymentState.Success, "switched", CancellationToken.None);
        var failed = await history.StartAsync(new DeploymentRequest("penguins", "staging", "1.2.0", "sha256:y", "docker", "deploy", "deploy"), CancellationToken.None);
        await history.CompleteAsync(failed, DeploymentState.Failure, "the Docker engine stopped answering", CancellationToken.None);
        var environment = Specs.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\nenvironments:\n  staging:\n    port: 8601\n").Environment("staging");
        var instances = running.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => new InstanceStatus($"c-{v}", v, $"layercake/penguins:{v}", "sha256:0123456789abcdef0123", Since, "running", "healthy"))
            .Append(new InstanceStatus("c-1.2.0", "1.2.0", "layercake/penguins:1.2.0", "sha256:0123456789abcdef0124", Since, "exited", "none")).ToList();

        var report = await new StatusStage(_ => new SeenTarget(new EnvironmentStatus("staging", "docker", 8601, instances, "seen")), history).RunAsync("penguins", environment, CancellationToken.None);

        Assert.That(report.InstancesTitle, Is.EqualTo(expected ?? "penguins in staging (docker, port 8601): seen"));
    }

    private sealed class SeenTarget(EnvironmentStatus status) : IDeploymentTarget
    {
        public Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken) => throw new NotSupportedException("Status never deploys");

        public Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken) => Task.FromResult(status);

        public Task<bool> EngineAnswersAsync(CancellationToken cancellationToken) => throw new NotSupportedException("Status never deploys");
    }
}
