using System.Net.Sockets;
using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Deployment.History;

/// <summary>
/// The Docker engine goes away in the middle of a deploy (the real engine restart is in EngineRestartTests): before
/// the new version took traffic, the deploy is recorded failed and the old version stays the live one; after it was
/// recorded live, it stays live, since it serves and comes back with the engine. Either way the error names the engine.
/// </summary>
[Category(Categories.Unit)]
public sealed class LostEngineHistoryTests
{
    private static readonly EnvironmentSpec Staging =
        Specs.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\nenvironments:\n  staging:\n    port: 8612\n").Environment("staging");

    [TestCase(false, "1.0.0", "1.1.0", DeploymentState.Failure, "was not deployed")]
    [TestCase(true, "1.1.0", "1.1.0", DeploymentState.Success, "is live on port 8612 (recorded so)")]
    public async Task A_lost_engine_is_recorded_as_what_it_left(bool afterLive, string live, string newVersion, DeploymentState newState, string says)
    {
        using var folder = new TempDirectory();
        var history = new LocalDeploymentHistory(folder.Path, TimeProvider.System);
        await new Deployer(new LosingTarget(lose: false, afterLive), history, folder.Path, NullLogger.Instance, TimeProvider.System)
            .DeployAsync(Plan("1.0.0"), "sha256:old", CancellationToken.None);

        var error = Assert.ThrowsAsync<DeploymentFailedException>(() =>
            new Deployer(new LosingTarget(lose: true, afterLive), history, folder.Path, NullLogger.Instance, TimeProvider.System).DeployAsync(Plan("1.1.0"), "sha256:new", CancellationToken.None))!;

        var records = await history.ListAsync("penguins", "staging", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("the Docker engine stopped answering (Connection refused)").And.Contain(says));
            Assert.That(records.Where(r => r.State == DeploymentState.Success).Select(r => r.Version), Is.EqualTo(new[] { live }));
            Assert.That((records[0].Version, records[0].State), Is.EqualTo((newVersion, newState)));
        });
    }

    [Test]
    public void An_engine_that_answered_with_an_error_is_not_a_lost_engine()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EngineFailure.IsLostEngine(new HttpRequestException("Connection failed.", new SocketException((int)SocketError.ConnectionRefused))), Is.True);
            Assert.That(EngineFailure.IsLostEngine(new InvalidOperationException("wrapped", new IOException("The response ended prematurely."))), Is.True);
            Assert.That(EngineFailure.IsLostEngine(new Docker.DotNet.DockerApiException(System.Net.HttpStatusCode.Conflict, "port is already allocated")), Is.False);
            Assert.That(EngineFailure.IsLostEngine(new InvalidOperationException("smoke test failed")), Is.False);
        });
    }

    private static DeploymentPlan Plan(string version) =>
        new("penguins", version, $"layercake/penguins:{version}", FakePackages.Manifest("penguins", version, new Dictionary<string, string>()), new SampleSet(1e-4, "absolute", []), Staging, "deploy");

    /// <summary>Loses the engine (a refused connection, as a killed dockerd gives) before or after recording the version live.</summary>
    private sealed class LosingTarget(bool lose, bool afterLive) : IDeploymentTarget
    {
        public async Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken)
        {
            if (lose && !afterLive)
            {
                throw Lost();
            }

            await live();
            return lose ? throw Lost() : $"{plan.Model} {plan.Version} live";
        }

        public Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Deployer does not ask for status.");

        private static HttpRequestException Lost() => new("Connection refused", new SocketException((int)SocketError.ConnectionRefused));
    }
}
