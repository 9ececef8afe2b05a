using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.History;

[Category(Categories.Unit)]
public sealed class LocalDeploymentHistoryTests
{
    private static DeploymentRequest Request(string version, string kind = "deploy") =>
        new("penguins", "staging", version, $"sha256:{version}", "docker", kind, $"{kind} {version}");

    [Test]
    public async Task A_success_makes_the_earlier_live_deployment_inactive_and_a_failure_does_not()
    {
        using var root = new TempDirectory();
        var history = new LocalDeploymentHistory(root.Path, TimeProvider.System);

        var first = await history.StartAsync(Request("1.0.0"), CancellationToken.None);
        await history.CompleteAsync(first, DeploymentState.Success, "live", CancellationToken.None);
        var second = await history.StartAsync(Request("1.1.0"), CancellationToken.None);
        await history.CompleteAsync(second, DeploymentState.Failure, "smoke test failed", CancellationToken.None);
        var third = await history.StartAsync(Request("1.2.0"), CancellationToken.None);
        await history.CompleteAsync(third, DeploymentState.Success, "live", CancellationToken.None);

        var records = await history.ListAsync("penguins", "staging", CancellationToken.None);
        Assert.That(records.Select(r => (r.Id, r.Version, r.State)), Is.EqualTo(new[]
        {
            ("3", "1.2.0", DeploymentState.Success),
            ("2", "1.1.0", DeploymentState.Failure),
            ("1", "1.0.0", DeploymentState.Inactive),
        }));
        Assert.That(File.ReadAllText(history.FileFor("penguins", "staging")), Does.Contain("\"state\": \"inactive\""), "the history file is JSON with GitHub's state names");
    }

    [Test]
    public async Task Concurrent_runs_lose_no_record()
    {
        using var root = new TempDirectory();
        var history = new LocalDeploymentHistory(root.Path, TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => history.StartAsync(Request($"1.{i}.0"), CancellationToken.None))));

        var records = await history.ListAsync("penguins", "staging", CancellationToken.None);
        Assert.That(records.Select(r => r.Id).Order(), Is.EquivalentTo(Enumerable.Range(1, 8).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Test]
    public async Task An_environment_never_deployed_has_an_empty_history()
    {
        using var root = new TempDirectory();

        var records = await new LocalDeploymentHistory(root.Path, TimeProvider.System).ListAsync("penguins", "production", CancellationToken.None);

        Assert.That(records, Is.Empty);
    }
}
