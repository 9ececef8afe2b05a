using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.History;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Shared.Docker;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static Layercake.Tests.Deployment.Environments.DeploymentWorkspace;

namespace Layercake.Tests.Deployment.Environments;

/// <summary>
/// The Docker engine dies in the middle of a deploy and comes back: on an engine of the test's own (restarting the
/// shared one would break every other build on it), version 1.0.0 is live, a deploy of 1.1.0 starts, and dockerd is
/// killed (SIGKILL, a crash) or stopped (SIGTERM) the moment the new version's live container exists, or (killed)
/// the moment the history records 1.1.0 live, while 1.0.0 drains; then it is started again on the same folders. Afterwards the history names no live version that is not running and answering,
/// Status reports what runs (and where it differs from the history), the containers came back by their restart
/// policy, and a re-run of the deploy completes.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class EngineRestartTests
{
    [TestCase(true, false, TestName = "Killing_dockerd_mid_deploy_leaves_the_history_true_and_a_rerun_completes")]
    [TestCase(false, false, TestName = "Stopping_dockerd_mid_deploy_leaves_the_history_true_and_a_rerun_completes")]
    [TestCase(true, true, TestName = "Killing_dockerd_while_the_old_version_drains_leaves_the_history_true_and_a_rerun_completes")]
    public async Task An_engine_restart_during_a_deploy(bool kill, bool afterRecordedLive)
    {
        if (ThrowawayDockerEngine.WhyUnavailable() is { } why)
        {
            Assert.Ignore($"Needs a Docker engine of the test's own: {why}");
        }

        await using var engine = await ThrowawayDockerEngine.StartAsync();
        var environment = (await PipelineSpecLoader.LoadAsync(Workspace.PathOf("pipelines/penguins.yaml"), null, CancellationToken.None)).Environment("staging")
            with { Name = (kill ? "engine-killed" : "engine-stopped") + (afterRecordedLive ? "-draining" : ""), Port = HostPort.FreeLoopback() };
        Assert.That(environment.RestartPolicy, Is.EqualTo("always"), "the default restart policy");
        var history = new LocalDeploymentHistory(Workspace.PathOf("models"), TimeProvider.System);
        using (var client = engine.Connect())
        {
            await using var images = await Engine.Images.SaveImagesAsync([Image("1.0.0"), Image("1.1.0")], CancellationToken.None);
            await client.Images.LoadImageAsync(new ImageLoadParameters { Quiet = true }, images, new Progress<JSONMessage>(), CancellationToken.None);
            await DeployerOn(client, history).DeployAsync(await PlanAsync("1.0.0", environment), "sha256:1.0.0", CancellationToken.None);
            Assert.That(await ServedVersionAsync(environment.Port), Is.EqualTo("1.0.0"));

            var deploy = DeployerOn(client, history).DeployAsync(await PlanAsync("1.1.0", environment), "sha256:1.1.0", CancellationToken.None);
            var runningBefore = await StopTheEngineAsync(client, engine, environment.Name, kill, afterRecordedLive
                ? async () => (await history.ListAsync(Name, environment.Name, CancellationToken.None)).Any(r => r.Version == "1.1.0" && r.State == DeploymentState.Success)
                : async () => (await LiveContainersAsync(client, environment.Name)).Any(c => c.Labels[LayercakeLabelVersion] == "1.1.0"));
            var error = Assert.CatchAsync(async () => await deploy)!;
            TestContext.Out.WriteLine($"The deploy ended with: {error.GetType().Name}: {error.Message}");
            Assert.That(error, Is.TypeOf<DeploymentFailedException>(), error.ToString());
            if (kill)
            {
                // A clean stop may first stop the new container through the API, which is a failed start, not a lost engine.
                Assert.That(error.Message, Does.Contain("the Docker engine stopped answering")
                    .And.Contain(afterRecordedLive ? "1.1.0 is live on port" : "1.1.0 was not deployed"));
            }

            await engine.StartAgainAsync();

            using var after = engine.Connect();
            var live = await WaitForLiveContainersAsync(after, environment);
            var records = await history.ListAsync(Name, environment.Name, CancellationToken.None);
            var recordedLive = records.Where(r => r.State == DeploymentState.Success).Select(r => r.Version).ToList();
            var runningVersions = live.Select(c => c.Labels[LayercakeLabelVersion]).Distinct().Order().ToList();
            var status = await new StatusStage(after, history, NullLogger.Instance, TimeProvider.System).RunAsync(Name, environment, CancellationToken.None);
            var notBack = new List<string>();
            foreach (var id in runningBefore.Where(id => live.All(c => c.ID != id)))
            {
                // Once 1.1.0 is recorded live the deploy stops 1.0.0 on purpose. If the engine had sent it the stop signal
                // before it was killed, it recorded the container as stopped on purpose, and its restart policy rightly
                // leaves it stopped; if not, the container must be back like any other.
                if (await VersionIfExistsAsync(after, id) is { } version
                    && !(afterRecordedLive && version == "1.0.0" && engine.WasStoppedOnPurpose(id)))
                {
                    notBack.Add($"{id[..12]} ({version})");
                }
            }

            TestContext.Out.WriteLine($"After the restart: running {string.Join(", ", runningVersions)}; recorded live {string.Join(", ", recordedLive)}; Status: {status.InstancesTitle}");
            Assert.Multiple(async () =>
            {
                Assert.That(records.Any(r => r.State == DeploymentState.InProgress), Is.False, "no deployment left in progress");
                Assert.That(recordedLive, Has.Count.EqualTo(1), "one live version in the history");
                Assert.That(runningVersions, Does.Contain(recordedLive.Single()), "the history's live version runs");
                Assert.That(await ServedVersionAsync(environment.Port), Is.AnyOf(runningVersions.Cast<object>().ToArray()), "and answers");
                Assert.That(notBack, Is.Empty,
                    "every container that ran before the engine stopped, still exists and was not being stopped on purpose, came back");
                Assert.That(status.Status.Instances.Where(i => i.State == "running").Select(i => i.Version).Distinct().Order(), Is.EqualTo(runningVersions), "Status lists what runs");
                Assert.That(status.InstancesTitle, Does.Contain($"port {environment.Port} answers ready"));
                foreach (var other in runningVersions.Where(v => v != recordedLive.Single()))
                {
                    Assert.That(status.InstancesTitle, Does.Contain("running but not recorded live: " + other), "Status says where the engine and the history differ");
                }
            });

            var rerun = await DeployerOn(after, history).DeployAsync(await PlanAsync("1.1.0", environment), "sha256:1.1.0", CancellationToken.None);
            var final = await WaitForLiveContainersAsync(after, environment);
            Assert.Multiple(async () =>
            {
                Assert.That(rerun.State, Is.EqualTo(DeploymentState.Success));
                Assert.That(await ServedVersionAsync(environment.Port), Is.EqualTo("1.1.0"));
                Assert.That(final.Select(c => c.Labels[LayercakeLabelVersion]), Is.EqualTo(new[] { "1.1.0" }), "only the new version runs after the re-run");
                Assert.That((await history.ListAsync(Name, environment.Name, CancellationToken.None)).Where(r => r.State == DeploymentState.Success).Select(r => r.Version), Is.EqualTo(new[] { "1.1.0" }));
            });
        }
    }

    private const string LayercakeLabelVersion = "io.layercake.version";

    private static Deployer DeployerOn(DockerClient client, LocalDeploymentHistory history) =>
        new(new LocalDockerTarget(client, NullLogger.Instance, TimeProvider.System), history, Workspace.PathOf("models"), NullLogger.Instance, TimeProvider.System);

    private static async Task<DeploymentPlan> PlanAsync(string version, EnvironmentSpec environment)
    {
        var package = await VersionAsync(version);
        return new DeploymentPlan(Name, version, Image(version), package.Manifest, await SamplesAsync(package), environment, "deploy");
    }

    /// <summary>Waits until <paramref name="now"/> holds, then stops dockerd; returns the live containers running just before.</summary>
    private static async Task<List<string>> StopTheEngineAsync(DockerClient client, ThrowawayDockerEngine engine, string environment, bool kill, Func<Task<bool>> now)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (await now())
            {
                var live = await LiveContainersAsync(client, environment);
                await engine.StopAsync(kill);
                return live.Where(c => c.State == "running").Select(c => c.ID).ToList();
            }

            await Task.Delay(20);
        }

        Assert.Fail("The moment to stop the engine never came");
        return [];
    }

    /// <summary>After a restart dockerd starts the containers by their restart policy in the background; waits until the port answers.</summary>
    private static async Task<IList<ContainerListResponse>> WaitForLiveContainersAsync(DockerClient client, EnvironmentSpec environment)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var running = (await LiveContainersAsync(client, environment.Name)).Where(c => c.State == "running").ToList();
            try
            {
                if (running.Count > 0)
                {
                    await ServedVersionAsync(environment.Port);
                    return running;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Nothing answers port {environment.Port} a minute after the engine came back; running: {running.Count}");
            }

            await Task.Delay(250);
        }
    }

    private static async Task<IList<ContainerListResponse>> LiveContainersAsync(DockerClient client, string environment) =>
        await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"io.layercake.model={Name}"] = true, [$"io.layercake.environment={environment}"] = true, ["io.layercake.role=live"] = true },
            },
        }, CancellationToken.None);

    /// <summary>The container's version label, or null when the container is gone.</summary>
    private static async Task<string?> VersionIfExistsAsync(DockerClient client, string id)
    {
        try
        {
            var container = await client.Containers.InspectContainerAsync(id, CancellationToken.None);
            return container.Config?.Labels?.TryGetValue(LayercakeLabelVersion, out var version) == true ? version : "";
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }
}
