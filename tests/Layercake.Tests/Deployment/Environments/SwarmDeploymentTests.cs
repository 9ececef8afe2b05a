using Docker.DotNet;
using Docker.DotNet.Models;
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
/// The swarm target on a single-node swarm (CI initialises it; so does this fixture when it is not): create,
/// a rolling update under load, a bad image rolled back by Swarm itself, and scaling. Replicas share the
/// port on the host network, as the routing mesh needs IPVS, which this kernel lacks.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class SwarmDeploymentTests
{
    private bool _joinedHere;

    private static LocalDeploymentHistory History => new(Workspace.PathOf("models"), TimeProvider.System);

    [OneTimeSetUp]
    public async Task EnsureASwarm()
    {
        if ((await Engine.System.GetSystemInfoAsync()).Swarm?.LocalNodeState != "active")
        {
            await Engine.Swarm.InitSwarmAsync(new SwarmInitParameters { ListenAddr = "127.0.0.1:2377", AdvertiseAddr = "127.0.0.1" });
            _joinedHere = true;
        }
    }

    [OneTimeTearDown]
    public async Task LeaveTheSwarmIfThisFixtureMadeIt()
    {
        if (_joinedHere)
        {
            try
            {
                await Engine.Swarm.RemoveServiceAsync(ServiceName);
            }
            catch (DockerApiException)
            {
                // Never created.
            }

            await Engine.Swarm.LeaveSwarmAsync(new SwarmLeaveParameters { Force = true });
        }
    }

    [Test, Order(1)]
    public async Task Deploy_creates_the_service_with_its_replicas_and_status_shows_them()
    {
        var record = await DeployAsync("1.0.0", Image("1.0.0"));
        var status = await Workspace.BuildAsync("--target=Status", "--environment=cluster");

        var service = await Engine.Swarm.InspectServiceAsync(ServiceName);
        Assert.Multiple(async () =>
        {
            Assert.That(record.State, Is.EqualTo(DeploymentState.Success));
            Assert.That(await ServedVersionAsync(ClusterPort), Is.EqualTo("1.0.0"));
            Assert.That(service.Spec!.UpdateConfig!.Order, Is.EqualTo("start-first"));
            Assert.That(service.Spec!.UpdateConfig!.FailureAction, Is.EqualTo("rollback"));
            Assert.That(service.Spec!.TaskTemplate!.ContainerSpec!.Healthcheck!.Test, Is.EqualTo(new[] { "CMD", "/app/Layercake.Serving", "--healthcheck" }));
            Assert.That(status.ExitCode, Is.EqualTo(0), status.All);
            Assert.That(status.Output, Does.Contain($"service {ServiceName}, 2/2 replicas running"));
            Assert.That(status.Output, Does.Contain($"| {ServiceName}.1 ").And.Contain($"| {ServiceName}.2 "));
        });
    }

    [Test, Order(2)]
    public async Task An_update_rolls_replicas_start_first_under_load_without_failed_requests()
    {
        await using var load = new LoadGenerator(InferUri(ClusterPort), await InferBodyAsync());
        await Task.Delay(500);
        var record = await DeployAsync("1.1.0", Image("1.1.0"));
        await Task.Delay(500);
        await load.DisposeAsync();
        TestContext.Out.WriteLine($"{load.Succeeded} requests succeeded and {load.Failed} failed during {load.Elapsed.TotalSeconds:F1} s of a Swarm rolling update");

        Assert.Multiple(async () =>
        {
            Assert.That(record.State, Is.EqualTo(DeploymentState.Success));
            Assert.That(await SettledRunningImagesAsync(2), Is.EqualTo(new[] { Image("1.1.0"), Image("1.1.0") }));
            Assert.That(load.VersionsSeen[^1], Is.EqualTo("1.1.0"));
            Assert.That(load.Failed, Is.EqualTo(0), string.Join('\n', load.Failures));
        });
    }

    [Test, Order(3)]
    public async Task Swarm_rolls_a_bad_image_back_itself_and_the_deploy_fails_saying_so()
    {
        var error = Assert.ThrowsAsync<DeploymentFailedException>(() => DeployAsync("9.9.9", BrokenImage))!;

        var history = await History.ListAsync(Name, "cluster", CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(error.Message, Does.Contain("Swarm refused").And.Contain("rolled the service back"));
            Assert.That(await SettledRunningImagesAsync(2), Is.EqualTo(new[] { Image("1.1.0"), Image("1.1.0") }));
            Assert.That(await ServedVersionAsync(ClusterPort), Is.EqualTo("1.1.0"));
            // Swarm put 1.1.0 back by itself: the history records the failed deploy and that automatic rollback.
            Assert.That(history.Take(2).Select(r => (r.Version, r.Kind, r.State)), Is.EqualTo(new[] { ("1.1.0", "rollback", DeploymentState.Success), ("9.9.9", "deploy", DeploymentState.Failure) }));
        });
    }

    [Test, Order(4)]
    public async Task Changing_replicas_scales_the_service()
    {
        var environment = await ClusterAsync();

        await DeployAsync("1.1.0", Image("1.1.0"), environment with { Swarm = environment.Swarm! with { Replicas = 3 } });

        Assert.That(await SettledRunningImagesAsync(3), Has.Length.EqualTo(3).And.All.EqualTo(Image("1.1.0")));
    }

    [Test, Order(5)]
    public async Task A_version_that_dies_after_the_old_replicas_drained_is_rolled_back_by_Swarm_and_recorded_so()
    {
        var cluster = await ClusterAsync();
        var environment = cluster with { Name = "cluster-healing", Port = HostPort.FreeLoopback(), Swarm = cluster.Swarm! with { Service = $"layercake-{Name}-healing" } };
        try
        {
            await DeployAsync("1.0.0", Image("1.0.0"), environment);
            await using var load = new LoadGenerator(InferUri(environment.Port), await InferBodyAsync());
            using var stop = new CancellationTokenSource();
            var killer = KillTheNewReplicasOnceTheOldDrainedAsync(environment.Swarm!.Service, stop.Token);
            await Task.Delay(500);
            var error = Assert.CatchAsync(() => DeployAsync("1.1.0", Image("1.1.0"), environment));
            await Task.Delay(1000);
            await load.DisposeAsync();
            await stop.CancelAsync();
            var killed = await killer;
            TestContext.Out.WriteLine($"Swarm healed deploy under load: {load.Succeeded} requests succeeded, {load.Failed} failed over {load.FailureWindow.TotalSeconds:F2} s without service, in {load.Elapsed.TotalSeconds:F1} s of load; {killed} replicas killed; first failures: {string.Join(" | ", load.Failures.Take(3))}");
            TestContext.Out.WriteLine($"The deploy ended with: {error?.Message ?? "success"}");
            Assert.That(error, Is.TypeOf<DeploymentFailedException>());

            var records = await History.ListAsync(Name, environment.Name, CancellationToken.None);
            Assert.Multiple(async () =>
            {
                Assert.That(killed, Is.GreaterThan(0), "the new replicas were killed after the old ones drained");
                // Rolled back by Swarm within its monitor window, or by the deploy when a replica died after the old ones drained.
                Assert.That(error!.Message, Does.Contain("rolled the service").And.Contain($"to the previous version, {Name} 1.0.0").And.Contain("(automatic rollback)"));
                Assert.That(await SettledRunningImagesAsync(2, environment.Swarm!.Service), Is.EqualTo(new[] { Image("1.0.0"), Image("1.0.0") }));
                Assert.That(await ServedVersionAsync(environment.Port), Is.EqualTo("1.0.0"));
                Assert.That(records.Select(r => (r.Version, r.Kind, r.State)).Take(3), Is.EqualTo(new[]
                {
                    ("1.0.0", "rollback", DeploymentState.Success),
                    ("1.1.0", "deploy", DeploymentState.Failure),
                    ("1.0.0", "deploy", DeploymentState.Inactive),
                }));
            });
        }
        finally
        {
            try
            {
                await Engine.Swarm.RemoveServiceAsync(environment.Swarm!.Service);
            }
            catch (DockerApiException)
            {
                // Never created.
            }
        }
    }

    /// <summary>Once no 1.0.0 replica runs any more and 1.1.0's do, SIGKILLs every 1.1.0 container; returns how many.</summary>
    private static async Task<int> KillTheNewReplicasOnceTheOldDrainedAsync(string service, CancellationToken cancellationToken)
    {
        var sawOld = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var running = (await TasksAsync(service)).Where(t => t.Status?.State == TaskState.Running).ToList();
            var oldRunning = running.Any(t => t.Spec!.ContainerSpec!.Image == Image("1.0.0"));
            var next = running.Where(t => t.Spec!.ContainerSpec!.Image == Image("1.1.0") && t.Status?.ContainerStatus?.ContainerID is { Length: > 0 }).ToList();
            sawOld |= oldRunning && next.Count > 0;
            if (sawOld && !oldRunning && next.Count > 0)
            {
                foreach (var task in next)
                {
                    try
                    {
                        await Engine.Containers.KillContainerAsync(task.Status!.ContainerStatus!.ContainerID, new ContainerKillParameters { Signal = "KILL" }, CancellationToken.None);
                    }
                    catch (DockerApiException)
                    {
                        // Already gone.
                    }
                }

                return next.Count;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return 0;
    }

    private static async Task<DeploymentRecord> DeployAsync(string version, string image, EnvironmentSpec? environment = null)
    {
        var package = await VersionAsync(version == "9.9.9" ? "1.0.0" : version);
        var plan = new DeploymentPlan(Name, version, image, package.Manifest, await SamplesAsync(package), environment ?? await ClusterAsync(), "deploy");
        var deployer = new Deployer(new SwarmTarget(Engine, NullLogger.Instance, TimeProvider.System), History, Workspace.PathOf("models"), NullLogger.Instance, TimeProvider.System);
        return await deployer.DeployAsync(plan, image, CancellationToken.None);
    }

    private static async Task<EnvironmentSpec> ClusterAsync() =>
        (await PipelineSpecLoader.LoadAsync(Workspace.PathOf("pipelines/penguins.yaml"), null, CancellationToken.None)).Environment("cluster");

    private static async Task<IList<TaskResponse>> TasksAsync(string service) =>
        await Engine.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = new Dictionary<string, bool> { [service] = true } },
        });

    /// <summary>
    /// The running replicas' images once their number is the service's <paramref name="replicas"/> (or after 20 s, as
    /// they are then). Swarm reports an update or rollback completed while its orchestrator may still be ending a task
    /// beyond the replica count, started for a slot whose replica was killed; it converges by itself within seconds.
    /// </summary>
    private static async Task<string[]> SettledRunningImagesAsync(int replicas, string? service = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var images = await RunningImagesAsync(service);
        while (images.Length != replicas && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            images = await RunningImagesAsync(service);
        }

        return images;
    }

    private static async Task<string[]> RunningImagesAsync(string? service = null)
    {
        var tasks = await TasksAsync(service ?? ServiceName);
        return tasks.Where(t => t.DesiredState == TaskState.Running && t.Status!.State == TaskState.Running).Select(t => t.Spec!.ContainerSpec!.Image!).ToArray();
    }
}
