using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Pipelines;
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
            Assert.That(await RunningImagesAsync(), Is.EqualTo(new[] { Image("1.1.0"), Image("1.1.0") }));
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
            Assert.That(await RunningImagesAsync(), Is.EqualTo(new[] { Image("1.1.0"), Image("1.1.0") }));
            Assert.That(await ServedVersionAsync(ClusterPort), Is.EqualTo("1.1.0"));
            Assert.That((history[0].Version, history[0].State), Is.EqualTo(("9.9.9", DeploymentState.Failure)));
        });
    }

    [Test, Order(4)]
    public async Task Changing_replicas_scales_the_service()
    {
        var environment = await ClusterAsync();

        await DeployAsync("1.1.0", Image("1.1.0"), environment with { Swarm = environment.Swarm! with { Replicas = 3 } });

        Assert.That(await RunningImagesAsync(), Has.Length.EqualTo(3).And.All.EqualTo(Image("1.1.0")));
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

    private static async Task<string[]> RunningImagesAsync()
    {
        var tasks = await Engine.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = new Dictionary<string, bool> { [ServiceName] = true } },
        });
        return tasks.Where(t => t.DesiredState == TaskState.Running && t.Status!.State == TaskState.Running).Select(t => t.Spec!.ContainerSpec!.Image!).ToArray();
    }
}
