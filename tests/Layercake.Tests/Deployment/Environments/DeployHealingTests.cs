using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.History;
using Layercake.Pipelines;
using Layercake.Shared.Docker;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static Layercake.Tests.Deployment.Environments.DeploymentWorkspace;

namespace Layercake.Tests.Deployment.Environments;

/// <summary>
/// A new version that passes its trial and joins the port, then dies as soon as the old one has drained: the
/// docker target starts the old version again on the same port by itself, the history records the failure and
/// the automatic rollback, and the deploy fails saying so. Measured under load: how many requests failed, and for how long.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class DeployHealingTests
{
    [Test]
    public async Task A_version_that_dies_after_the_old_one_drained_is_replaced_by_the_old_one_on_the_same_port()
    {
        var environment = (await PipelineSpecLoader.LoadAsync(Workspace.PathOf("pipelines/penguins.yaml"), null, CancellationToken.None)).Environment("staging")
            with { Name = "healing", Port = HostPort.FreeLoopback() };
        var history = new LocalDeploymentHistory(Workspace.PathOf("models"), TimeProvider.System);
        var deployer = new Deployer(new LocalDockerTarget(Engine, NullLogger.Instance, TimeProvider.System), history, Workspace.PathOf("models"), NullLogger.Instance, TimeProvider.System);
        var old = await VersionAsync("1.0.0");
        var next = await VersionAsync("1.1.0");
        await deployer.DeployAsync(new DeploymentPlan(Name, "1.0.0", Image("1.0.0"), old.Manifest, await SamplesAsync(old), environment, "deploy"), "sha256:1.0.0", CancellationToken.None);

        var nextPlan = new DeploymentPlan(Name, "1.1.0", Image("1.1.0"), next.Manifest, await SamplesAsync(next), environment, "deploy");
        await using var load = new LoadGenerator(InferUri(environment.Port), await InferBodyAsync());
        using var stop = new CancellationTokenSource();
        var killer = KillTheNewVersionOnceTheOldHasDrainedAsync(environment.Name, stop.Token);
        await Task.Delay(500);
        var error = Assert.ThrowsAsync<DeploymentFailedException>(() =>
            deployer.DeployAsync(nextPlan, "sha256:1.1.0", CancellationToken.None))!;
        await Task.Delay(1000);
        await load.DisposeAsync();
        await stop.CancelAsync();
        var killed = await killer;
        TestContext.Out.WriteLine($"Healed deploy under load: {load.Succeeded} requests succeeded, {load.Failed} failed over {load.FailureWindow.TotalSeconds:F2} s without service, in {load.Elapsed.TotalSeconds:F1} s of load; first failures: {string.Join(" | ", load.Failures.Take(3))}");

        var records = await history.ListAsync(Name, environment.Name, CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(killed, Is.True, "the new version was killed after the old one drained");
            // Noticed as an exit, or (when the kill lands between two looks at the container) as readiness failing.
            Assert.That(error.Message, Does.Contain("after the old version drained").And.Contain($"{Name} 1.0.0 was started again on port {environment.Port} (automatic rollback)"));
            Assert.That(await ServedVersionAsync(environment.Port), Is.EqualTo("1.0.0"));
            Assert.That(load.VersionsSeen, Does.Contain("1.0.0"));
            Assert.That(records.Select(r => (r.Version, r.Kind, r.State)).Take(3), Is.EqualTo(new[]
            {
                ("1.0.0", "rollback", DeploymentState.Success),
                ("1.1.0", "deploy", DeploymentState.Failure),
                ("1.0.0", "deploy", DeploymentState.Inactive),
            }));
            Assert.That(records[0].ImageId, Is.EqualTo((await Engine.Images.InspectImageAsync(Image("1.0.0"))).ID));
            Assert.That(load.FailureWindow, Is.LessThan(TimeSpan.FromSeconds(10)), "the old version is back within seconds");
        });
    }

    /// <summary>Waits for the old version's container to stop running, then kills the new one (SIGKILL, exit 137).</summary>
    private static async Task<bool> KillTheNewVersionOnceTheOldHasDrainedAsync(string environment, CancellationToken cancellationToken)
    {
        var sawOld = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var live = await Engine.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"io.layercake.model={Name}"] = true, [$"io.layercake.environment={environment}"] = true, ["io.layercake.role=live"] = true },
                },
            }, CancellationToken.None);
            var oldRunning = live.Any(c => c.Labels["io.layercake.version"] == "1.0.0" && c.State == "running");
            var next = live.FirstOrDefault(c => c.Labels["io.layercake.version"] == "1.1.0" && c.State == "running");
            sawOld |= oldRunning && next is not null;
            if (sawOld && !oldRunning && next is not null)
            {
                await Engine.Containers.KillContainerAsync(next.ID, new ContainerKillParameters { Signal = "KILL" }, CancellationToken.None);
                return true;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return false;
    }
}
