using System.Net.Sockets;
using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.History;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static Layercake.Tests.Deployment.Environments.DeploymentWorkspace;

namespace Layercake.Tests.Deployment.Environments;

/// <summary>
/// The docker target against a real engine, in order: first deploy (by the set-up), a redeploy under load,
/// a broken version refused, a rollback under load, status, and the errors for a taken port and a missing image.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class LocalDeploymentTests
{
    private static LocalDeploymentHistory History => new(Workspace.PathOf("models"), TimeProvider.System);

    [Test, Order(1)]
    public async Task Deploy_leaves_the_model_answering_on_the_declared_port_and_records_it()
    {
        var history = await History.ListAsync(Name, "staging", CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(FirstDeploy.Output, Does.Contain("passed its trial"));
            Assert.That(FirstDeploy.Output, Does.Not.Contain("beside the running version").And.Contain("nothing else was running there"), "the first deploy");
            Assert.That(await ServedVersionAsync(StagingPort), Is.EqualTo("1.0.0"));
            Assert.That(history.Select(r => (r.Version, r.Kind, r.State)), Is.EqualTo(new[] { ("1.0.0", "deploy", DeploymentState.Success) }));
            Assert.That(history[0].ImageId, Is.EqualTo((await Engine.Images.InspectImageAsync(Image("1.0.0"))).ID));
        });
    }

    [Test, Order(2)]
    public async Task A_redeploy_under_load_fails_no_request()
    {
        var (run, load) = await UnderLoadAsync("--target=Deploy", "--exclusive", "--environment=staging", "--model-version=1.1.0");

        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
            Assert.That(load.Failed, Is.EqualTo(0), string.Join('\n', load.Failures));
            Assert.That(load.Succeeded, Is.GreaterThan(100), "traffic flowed through the switch");
            Assert.That(load.VersionsSeen, Is.EqualTo(new[] { "1.0.0", "1.1.0" }), "served by the old version, then the new");
            Assert.That(await ServedVersionAsync(StagingPort), Is.EqualTo("1.1.0"));
            Assert.That(await LiveContainerVersionsAsync("staging"), Is.EqualTo(new[] { "1.1.0" }), "the old container is gone");
        });
    }

    [Test, Order(3)]
    public async Task A_version_that_crashes_on_start_never_takes_over_and_the_old_one_keeps_serving()
    {
        var version = await VersionAsync("1.0.0");
        var environment = await StagingAsync();
        var plan = new DeploymentPlan(Name, "9.9.9", BrokenImage, version.Manifest, await SamplesAsync(version), environment, "deploy");
        var deployer = new Deployer(new LocalDockerTarget(Engine, NullLogger.Instance, TimeProvider.System), History, Workspace.PathOf("models"), NullLogger.Instance, TimeProvider.System);

        await using var load = new LoadGenerator(InferUri(StagingPort), await InferBodyAsync());
        var error = Assert.ThrowsAsync<DeploymentFailedException>(() => deployer.DeployAsync(plan, "sha256:broken", CancellationToken.None))!;
        await Task.Delay(500);
        await load.DisposeAsync();

        var history = await History.ListAsync(Name, "staging", CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(error.Message, Does.Contain("failed its trial before taking traffic").And.Contain("exited with code").And.Contain("last log lines"));
            Assert.That(load.Failed, Is.EqualTo(0), string.Join('\n', load.Failures));
            Assert.That(load.VersionsSeen, Is.EqualTo(new[] { "1.1.0" }));
            Assert.That(await ServedVersionAsync(StagingPort), Is.EqualTo("1.1.0"));
            Assert.That(await LiveContainerVersionsAsync("staging"), Is.EqualTo(new[] { "1.1.0" }));
            Assert.That(await ContainersAsync("candidate"), Is.Empty, "the trial container is removed");
            Assert.That((history[0].Version, history[0].State), Is.EqualTo(("9.9.9", DeploymentState.Failure)));
            Assert.That(history[0].Description, Does.Contain("failed its trial"));
        });
    }

    [Test, Order(4)]
    public async Task Rollback_under_load_returns_to_the_previous_version_and_records_it()
    {
        var (run, load) = await UnderLoadAsync("--target=Rollback", "--environment=staging");

        var history = await History.ListAsync(Name, "staging", CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
            Assert.That(run.Output, Does.Contain($"Rolling staging back to {Name} 1.0.0"));
            Assert.That(load.Failed, Is.EqualTo(0), string.Join('\n', load.Failures));
            Assert.That(await ServedVersionAsync(StagingPort), Is.EqualTo("1.0.0"));
            Assert.That((history[0].Version, history[0].Kind, history[0].State), Is.EqualTo(("1.0.0", "rollback", DeploymentState.Success)));
            Assert.That(history.Count(r => r.State == DeploymentState.Success), Is.EqualTo(1), "one live deployment; the others are inactive or failed");
        });
    }

    [Test, Order(5)]
    public async Task Status_prints_the_running_version_image_start_time_health_and_history()
    {
        var run = await Workspace.BuildAsync("--target=Status", "--environment=staging");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.All);
            Assert.That(run.Output, Does.Contain($"{Name} in staging (docker, port {StagingPort}): port {StagingPort} answers ready"));
            Assert.That(run.Output, Does.Match($@"\| layercake-{Name}-staging-1\.0\.0-\w+ +\| 1\.0\.0 +\| layercake/{Name}:1\.0\.0 \(\w{{12}}\) \| 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d \| running"));
            Assert.That(run.Output, Does.Contain("| rollback | success"));
            Assert.That(run.Output, Does.Contain("| deploy   | failure"));
        });
    }

    [Test, Order(6)]
    public async Task A_port_taken_by_something_else_is_a_clear_error_and_leaves_nothing_running()
    {
        using var squatter = new TcpListener(System.Net.IPAddress.Any, SparePort);
        squatter.Start();

        var run = await Workspace.BuildAsync("--target=Deploy", "--exclusive", "--environment=spare");

        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.Not.EqualTo(0));
            Assert.That(run.All, Does.Contain($"Port {SparePort} of environment 'spare' is already taken"));
            Assert.That(await LiveContainerVersionsAsync("spare"), Is.Empty);
            Assert.That((await History.ListAsync(Name, "spare", CancellationToken.None))[0].State, Is.EqualTo(DeploymentState.Failure));
        });
    }

    [Test, Order(7)]
    public async Task A_missing_image_and_an_unreachable_engine_are_clear_errors()
    {
        var missing = await Workspace.BuildAsync("--target=Deploy", "--exclusive", "--environment=spare", "--model-version=1.1.0", "--models=models-without-images");
        var noEngine = await Workspace.BuildAsync(new Dictionary<string, string> { ["DOCKER_HOST"] = "tcp://127.0.0.1:1" }, "--target=Status", "--environment=staging");
        await Engine.Images.TagImageAsync(Image("1.1.0"), new ImageTagParameters { RepositoryName = $"layercake/{Name}", Tag = "1.1.0-kept" });
        await Engine.Images.DeleteImageAsync(Image("1.1.0"), new ImageDeleteParameters());
        var gone = await Workspace.BuildAsync("--target=Deploy", "--exclusive", "--environment=spare", "--model-version=1.1.0");

        Assert.Multiple(() =>
        {
            Assert.That(missing.All, Does.Contain("has no version of").Or.Contain("is not in the registry"));
            Assert.That(noEngine.ExitCode, Is.Not.EqualTo(0));
            Assert.That(noEngine.All, Does.Contain("No Docker engine answers at tcp://127.0.0.1:1"));
            Assert.That(gone.ExitCode, Is.Not.EqualTo(0));
            Assert.That(gone.All, Does.Contain($"The image layercake/{Name}:1.1.0 is not in the Docker engine. Build it with --target=BuildImage --exclusive --model-version=1.1.0"));
        });
        await Engine.Images.TagImageAsync($"layercake/{Name}:1.1.0-kept", new ImageTagParameters { RepositoryName = $"layercake/{Name}", Tag = "1.1.0" });
    }

    [Test, Order(8)]
    public async Task The_deployed_server_logs_predictions_to_its_volume_and_Monitor_reads_them_from_there()
    {
        var run = await Workspace.BuildAsync("--target=Monitor", "--environment=staging");

        var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Workspace.PathOf($"artifacts/monitor/{Name}/monitor.json"))).RootElement;
        Assert.Multiple(() =>
        {
            // The load tests sent one row over and over: nothing like the training data, so a breach.
            Assert.That(run.ExitCode, Is.EqualTo(3), run.All);
            Assert.That(report.GetProperty("version").GetString(), Is.EqualTo("1.0.0"), "the version live in staging");
            Assert.That(report.GetProperty("log").GetProperty("rows").GetInt64(), Is.GreaterThan(1000));
            Assert.That(report.GetProperty("healthy").GetBoolean(), Is.False);
        });
    }

    private static async Task<(BuildRunner.Result Run, LoadGenerator Load)> UnderLoadAsync(params string[] args)
    {
        var load = new LoadGenerator(InferUri(StagingPort), await InferBodyAsync());
        await Task.Delay(500);
        var run = await Workspace.BuildAsync(args);
        await Task.Delay(500);
        await load.DisposeAsync();
        TestContext.Out.WriteLine($"{load.Succeeded} requests succeeded and {load.Failed} failed during {load.Elapsed.TotalSeconds:F1} s of load across the switch");
        return (run, load);
    }

    private static async Task<EnvironmentSpec> StagingAsync() =>
        (await PipelineSpecLoader.LoadAsync(Workspace.PathOf("pipelines/penguins.yaml"), null, CancellationToken.None)).Environment("staging");

    private static async Task<string[]> LiveContainerVersionsAsync(string environment) =>
        (await ContainersAsync("live", environment)).Where(c => c.State == "running").Select(c => c.Labels["io.layercake.version"]).ToArray();

    private static async Task<IList<ContainerListResponse>> ContainersAsync(string role, string? environment = null)
    {
        var labels = new Dictionary<string, bool> { [$"io.layercake.role={role}"] = true, [$"io.layercake.model={Name}"] = true };
        if (environment is not null)
        {
            labels[$"io.layercake.environment={environment}"] = true;
        }

        return await Engine.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels } });
    }
}
