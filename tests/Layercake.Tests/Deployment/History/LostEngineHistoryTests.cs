using System.Net.Sockets;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.History;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Runtime.Manifest;
using Layercake.Tests.TestSupport;
using Layercake.Tests.TestSupport.FakeGitHub;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Deployment.History;

/// <summary>
/// The Docker engine goes away in the middle of a deploy (the real engine restart is in EngineRestartTests): before
/// the new version took traffic, the deploy is recorded failed and the old version stays the live one; after it was
/// recorded live, it stays live, since it serves and comes back with the engine. Either way the error names the engine.
/// A connection error is a lost engine only when the engine, asked, does not answer: otherwise it is reported and
/// recorded as the failure it was.
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
        var history = await HistoryWithLiveAsync(folder);
        var target = new FailingTarget(Refused(), afterLive, engineAnswers: false);

        var error = Assert.ThrowsAsync<DeploymentFailedException>(() => DeployAsync(target, history, folder, CancellationToken.None))!;

        var records = await history.ListAsync("penguins", "staging", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("the Docker engine stopped answering (Connection refused)").And.Contain(says));
            Assert.That(records.Where(r => r.State == DeploymentState.Success).Select(r => r.Version), Is.EqualTo(new[] { live }));
            Assert.That((records[0].Version, records[0].State), Is.EqualTo((newVersion, newState)));
            Assert.That(target.Pings, Is.EqualTo(1), "the engine was asked before the deploy said it was lost");
        });
    }

    /// <summary>
    /// A log stream the engine cut, or the served model refusing the smoke test's connection, gives the exceptions a
    /// lost engine gives; the engine answering its ping says it was not lost. After the switch that is any other
    /// failure after the switch: the new version's record becomes a failure, and nothing is recorded live.
    /// </summary>
    [TestCase(false, new[] { "1.0.0" })]
    [TestCase(true, new string[0])]
    public async Task A_connection_error_while_the_engine_answers_is_recorded_as_itself(bool afterLive, string[] live)
    {
        using var folder = new TempDirectory();
        var history = await HistoryWithLiveAsync(folder);
        var cut = new IOException("Unable to read data from the transport connection: Connection reset by peer.", new SocketException((int)SocketError.ConnectionReset));
        var target = new FailingTarget(cut, afterLive, engineAnswers: true);

        var error = Assert.ThrowsAsync<IOException>(() => DeployAsync(target, history, folder, CancellationToken.None))!;

        var records = await history.ListAsync("penguins", "staging", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.SameAs(cut), "the original error, not one about the engine");
            Assert.That((records[0].Version, records[0].State, records[0].Description), Is.EqualTo(("1.1.0", DeploymentState.Failure, cut.Message)));
            Assert.That(records.Where(r => r.State == DeploymentState.Success).Select(r => r.Version), Is.EqualTo(live));
            Assert.That(target.Pings, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_trial_refused_by_the_served_model_is_not_recorded_as_a_lost_engine()
    {
        using var folder = new TempDirectory();
        var history = await HistoryWithLiveAsync(folder);
        var trial = new DeploymentFailedException("penguins 1.1.0 failed its trial before taking traffic in 'staging', so the running version stays: Connection refused (127.0.0.1:40123)", Refused());

        var error = Assert.ThrowsAsync<DeploymentFailedException>(() => DeployAsync(new FailingTarget(trial, afterLive: false, engineAnswers: true), history, folder, CancellationToken.None))!;

        var records = await history.ListAsync("penguins", "staging", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.SameAs(trial));
            Assert.That(records[0].Description, Does.StartWith("penguins 1.1.0 failed its trial").And.Not.Contain("stopped answering"));
        });
    }

    [Test]
    public async Task An_error_that_is_not_a_connection_error_does_not_ask_the_engine()
    {
        using var folder = new TempDirectory();
        var history = await HistoryWithLiveAsync(folder);
        var target = new FailingTarget(new Docker.DotNet.DockerApiException(System.Net.HttpStatusCode.Conflict, "port is already allocated"), afterLive: false, engineAnswers: false);

        Assert.ThrowsAsync<Docker.DotNet.DockerApiException>(() => DeployAsync(target, history, folder, CancellationToken.None));

        Assert.That(target.Pings, Is.Zero);
    }

    [Test]
    public async Task A_deploy_cancelled_as_the_engine_went_away_still_asks_the_engine()
    {
        using var folder = new TempDirectory();
        var history = await HistoryWithLiveAsync(folder);
        using var cancel = new CancellationTokenSource();
        var target = new FailingTarget(Refused(), afterLive: false, engineAnswers: false, cancel);

        var error = Assert.ThrowsAsync<DeploymentFailedException>(() => DeployAsync(target, history, folder, cancel.Token))!;

        Assert.That(error.Message, Does.Contain("the Docker engine stopped answering"), "the probe got a token of its own, not the cancelled one");
    }

    [Test]
    public void A_connection_error_is_told_from_an_engine_that_answered_with_an_error()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EngineFailure.IsConnectionError(new HttpRequestException("Connection failed.", new SocketException((int)SocketError.ConnectionRefused))), Is.True);
            Assert.That(EngineFailure.IsConnectionError(new InvalidOperationException("wrapped", new IOException("The response ended prematurely."))), Is.True);
            Assert.That(EngineFailure.IsConnectionError(new Docker.DotNet.DockerApiException(System.Net.HttpStatusCode.Conflict, "port is already allocated")), Is.False);
            Assert.That(EngineFailure.IsConnectionError(new InvalidOperationException("smoke test failed")), Is.False);
        });
    }

    private static async Task<LocalDeploymentHistory> HistoryWithLiveAsync(TempDirectory folder)
    {
        var history = new LocalDeploymentHistory(folder.Path, TimeProvider.System);
        await new Deployer(new FailingTarget(null, afterLive: false, engineAnswers: true), history, folder.Path, NullLogger.Instance, TimeProvider.System)
            .DeployAsync(Plan("1.0.0"), "sha256:old", CancellationToken.None);
        return history;
    }

    private static Task<DeploymentRecord> DeployAsync(FailingTarget target, LocalDeploymentHistory history, TempDirectory folder, CancellationToken cancellationToken) =>
        new Deployer(target, history, folder.Path, NullLogger.Instance, TimeProvider.System).DeployAsync(Plan("1.1.0"), "sha256:new", cancellationToken);

    private static DeploymentPlan Plan(string version) =>
        new("penguins", version, $"layercake/penguins:{version}", FakePackages.Manifest("penguins", version, new Dictionary<string, string>()), new SampleSet(1e-4, "absolute", []), Staging, "deploy");

    /// <summary>A refused connection, as a killed dockerd gives.</summary>
    private static HttpRequestException Refused() => new("Connection refused", new SocketException((int)SocketError.ConnectionRefused));

    /// <summary>
    /// Fails with <paramref name="error"/> (if any) before or after recording the version live, optionally cancelling
    /// the deploy's token first; its engine answers a ping as told, and refuses one made with a cancelled token.
    /// </summary>
    private sealed class FailingTarget(Exception? error, bool afterLive, bool engineAnswers, CancellationTokenSource? cancelFirst = null) : IDeploymentTarget
    {
        public int Pings { get; private set; }

        public async Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken)
        {
            if (error is not null && !afterLive)
            {
                throw Fail(error);
            }

            await live();
            return error is null ? $"{plan.Model} {plan.Version} live" : throw Fail(error);
        }

        public Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Deployer does not ask for status.");

        public Task<bool> EngineAnswersAsync(CancellationToken cancellationToken)
        {
            Pings++;
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(engineAnswers);
        }

        private Exception Fail(Exception failure)
        {
            cancelFirst?.Cancel();
            return failure;
        }
    }
}
