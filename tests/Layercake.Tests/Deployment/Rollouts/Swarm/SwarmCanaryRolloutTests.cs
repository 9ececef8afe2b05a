using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.History;
using Layercake.Deployment.Rollouts;
using Layercake.Deployment.Rollouts.Swarm;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Strategies;
using Layercake.Shared.Docker;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static Layercake.Tests.Deployment.Environments.DeploymentWorkspace;

namespace Layercake.Tests.Deployment.Rollouts.Swarm;

/// <summary>
/// A canary on the swarm target, through the real HAProxy run as a Swarm service, on the real single-node swarm under
/// a fixed-rate load: a version that predicts like the live one is promoted (the environment's service then runs it
/// with its replicas), one trained on other data is aborted at its first step by the prediction check and the stable
/// version serves again; a rollout left by a killed build keeps the port answering and the next rollback undoes it.
/// No request fails in any of them.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class SwarmCanaryRolloutTests
{
    private const string EnvironmentName = "swarm-canary";
    private const double Rate = 100;
    private static readonly int[] Steps = [10, 50];
    private int _port;
    private string _other = "";

    private static string Service => $"layercake-{Name}-swarm-canary";

    private static LocalDeploymentHistory History => new(Workspace.PathOf("models"), TimeProvider.System);

    private static SwarmRolloutServices Services => new(Engine, TimeProvider.System);

    [OneTimeSetUp]
    public async Task BuildAVersionTrainedOnOtherData()
    {
        await AcquireAsync();
        Assert.That((await Engine.System.GetSystemInfoAsync()).Swarm?.LocalNodeState, Is.EqualTo("active"), "this engine is a swarm manager");
        _port = HostPort.FreeLoopback();
        var rotated = Workspace.PathOf("data/penguins-rotated.csv");
        var names = new Dictionary<string, string> { ["Adelie"] = "Chinstrap", ["Chinstrap"] = "Gentoo", ["Gentoo"] = "Adelie" };
        var lines = File.ReadAllLines(Workspace.PathOf("data/penguins.csv"));
        File.WriteAllLines(rotated, lines.Take(1).Concat(lines.Skip(1).Select(l => names.TryGetValue(l.Split(',')[0], out var n) ? n + l[l.IndexOf(',')..] : l)));
        var build = await Workspace.BuildAsync("--target=BuildImage", $"--data={rotated}");
        Assert.That(build.ExitCode, Is.EqualTo(0), build.All);
        _other = Workspace.RegisteredVersions(Name)[^1];
        Assert.That(_other, Is.Not.EqualTo("1.1.0"));
    }

    [OneTimeTearDown]
    public async Task RemoveTheServicesAndRelease()
    {
        foreach (var service in await Engine.Swarm.ListServicesAsync())
        {
            if (service.Spec?.Name?.StartsWith(Service, StringComparison.Ordinal) == true)
            {
                await Services.RemoveAsync(service.ID, TimeSpan.FromSeconds(5));
            }
        }

        await Services.RemoveConfigsAsync(Name, EnvironmentName);
        await ReleaseAsync();
    }

    [Test, Order(1)]
    public async Task With_nothing_live_a_canary_deploys_the_service_all_at_once()
    {
        var record = await DeployAsync("1.0.0");

        Assert.Multiple(async () =>
        {
            Assert.That(record.State, Is.EqualTo(DeploymentState.Success), record.Description);
            Assert.That(await ServedVersionAsync(_port), Is.EqualTo("1.0.0"));
            Assert.That(await RunningImagesAsync(), Is.EqualTo(new[] { Image("1.0.0"), Image("1.0.0") }));
        });
    }

    [Test, Order(2)]
    public async Task A_canary_that_predicts_alike_is_promoted_into_the_service_with_no_failed_request()
    {
        await using var load = new SplitLoad(InferUri(_port), await InferBodyAsync(), Rate);
        await Task.Delay(1000);
        var record = await DeployAsync("1.1.0");
        await Task.Delay(1000);
        await load.DisposeAsync();

        var journal = await JournalAsync();
        TestContext.Out.WriteLine($"{load.Answers.Count} requests, {load.Failures.Count} failed; " + string.Join('\n', journal.Steps.Select(s =>
            $"step {s.Weight} %: server share {s.CanaryShare:F1} %, client share {load.ShareOf("1.1.0", s.Started, s.Ended):F1} %")));
        var service = await Engine.Swarm.InspectServiceAsync(Service);
        Assert.Multiple(async () =>
        {
            Assert.That(load.Failures, Is.Empty, "no request fails across the rollout and the promotion");
            Assert.That(record.State, Is.EqualTo(DeploymentState.Success), record.Description);
            Assert.That(journal.State, Is.EqualTo(RolloutJournal.Promoted), journal.Reason);
            Assert.That(journal.Steps.Select(s => s.Weight), Is.EqualTo(Steps));
            foreach (var step in journal.Steps)
            {
                Assert.That(load.ShareOf("1.1.0", step.Started, step.Ended), Is.EqualTo(step.Weight).Within(5), $"clients' share at {step.Weight} %");
            }

            Assert.That(load.Answers.Select(a => a.Version).Distinct(), Does.Contain("1.0.0").And.Contain("1.1.0"));
            Assert.That(await ServedVersionAsync(_port), Is.EqualTo("1.1.0"));
            Assert.That(await RunningImagesAsync(), Is.EqualTo(new[] { Image("1.1.0"), Image("1.1.0") }), "as an all_at_once deploy leaves it");
            Assert.That(service.Spec!.Labels, Does.Not.ContainKey(SwarmRolloutServices.ReplicasLabel));
            Assert.That(await Services.ListAsync(Name, EnvironmentName, CancellationToken.None), Is.Empty, "the proxy and both backends are gone");
        });
    }

    [Test, Order(3)]
    public async Task A_canary_trained_on_other_data_is_aborted_at_its_first_step_and_the_stable_version_serves()
    {
        await using var load = new SplitLoad(InferUri(_port), await InferBodyAsync(), Rate);
        await Task.Delay(1000);
        var error = Assert.ThrowsAsync<DeploymentFailedException>(() => DeployAsync(_other))!;
        await Task.Delay(1000);
        await load.DisposeAsync();

        var journal = await JournalAsync();
        var history = await History.ListAsync(Name, EnvironmentName, CancellationToken.None);
        TestContext.Out.WriteLine($"{load.Answers.Count} requests, {load.Failures.Count} failed; {error.Message}");
        Assert.Multiple(async () =>
        {
            Assert.That(load.Failures, Is.Empty, "no request fails through the abort");
            Assert.That(error.Message, Does.Contain($"canary {_other} aborted at 10 %").And.Contain("prediction drift FAILED").And.Contain("all traffic back on 1.1.0"));
            Assert.That(journal.Steps, Has.Count.EqualTo(1), "aborted at the first step");
            Assert.That((history[0].Version, history[0].State), Is.EqualTo((_other, DeploymentState.Failure)));
            Assert.That(await ServedVersionAsync(_port), Is.EqualTo("1.1.0"));
            Assert.That(await RunningImagesAsync(), Is.EqualTo(new[] { Image("1.1.0"), Image("1.1.0") }), "the service has its replicas back");
            Assert.That(await Services.ListAsync(Name, EnvironmentName, CancellationToken.None), Is.Empty);
        });
    }

    [Test, Order(4)]
    public async Task A_rollout_left_by_a_killed_build_keeps_serving_and_the_next_rollback_undoes_it()
    {
        await using var load = new SplitLoad(InferUri(_port), await InferBodyAsync(), Rate);
        var frozen = new FrozenTimeProvider(TimeSpan.FromSeconds(30));
        var killed = new SwarmCanaryTarget(Engine, new SwarmTarget(Engine, NullLogger.Instance, frozen), null, NullLogger.Instance, frozen)
            .DeployAsync(await PlanAsync(_other, TimeSpan.FromSeconds(60), "deploy"), () => Task.CompletedTask, CancellationToken.None);
        var status = await WaitForRolloutStatusAsync(TimeSpan.FromSeconds(120));
        var left = await RunningImagesAsync();
        var served = await ServedVersionAsync(_port);
        var record = await DeployAsync("1.1.0", kind: "rollback");
        await Task.Delay(1000);
        await load.DisposeAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(killed.IsCompleted, Is.False, "the 'killed' rollout never went on");
            Assert.That(status.Note, Does.Contain("the canary's weight is 10 %"), "Status is true about the split left in force");
            Assert.That(left, Is.Empty, "the environment's own replicas had left the port to the proxy");
            Assert.That(served, Is.AnyOf("1.1.0", _other), "the environment answers while the rollout is left");
            Assert.That(load.Failures, Is.Empty, "no request fails while it is left, nor while it is undone");
            Assert.That(record.State, Is.EqualTo(DeploymentState.Success), record.Description);
            Assert.That(await ServedVersionAsync(_port), Is.EqualTo("1.1.0"));
            Assert.That(await RunningImagesAsync(), Is.EqualTo(new[] { Image("1.1.0"), Image("1.1.0") }));
            Assert.That(await Services.ListAsync(Name, EnvironmentName, CancellationToken.None), Is.Empty, "the proxy and both backends are removed");
        });
    }

    private async Task<EnvironmentStatus> WaitForRolloutStatusAsync(TimeSpan timeout)
    {
        var stage = new StatusStage(Engine, History, NullLogger.Instance, TimeProvider.System);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var report = await stage.RunAsync(Name, Environment(TimeSpan.FromSeconds(60)), CancellationToken.None);
            if (report.Status.Note?.Contains("the canary's weight is 10 %", StringComparison.Ordinal) == true
                && (await RunningImagesAsync()).Length == 0 || DateTimeOffset.UtcNow > deadline)
            {
                return report.Status;
            }

            await Task.Delay(500);
        }
    }

    private EnvironmentSpec Environment(TimeSpan interval) =>
        new(EnvironmentName, DeployTargetKind.Swarm, _port, null, null, "always", TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), new SwarmSpec(Service, 2, 1, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), "host"),
            new SourceLocation(1, 1))
        {
            // As on the docker target: the p99 of a few requests on a shared machine is noise, so the ratio is loose here.
            Strategy = new RolloutStrategySpec(RolloutKind.Canary, Steps, interval, TimeSpan.Zero,
                RolloutAnalysisSpec.Default with { MinRequests = 20, MaxP99Ratio = 100, Window = TimeSpan.FromSeconds(5) }, new SourceLocation(1, 1)),
        };

    private async Task<DeploymentPlan> PlanAsync(string version, TimeSpan interval, string kind)
    {
        var registered = await VersionAsync(version);
        return new DeploymentPlan(Name, version, Image(version), registered.Manifest, await SamplesAsync(registered), Environment(interval), kind);
    }

    private async Task<DeploymentRecord> DeployAsync(string version, string kind = "deploy")
    {
        var plan = await PlanAsync(version, TimeSpan.FromSeconds(6), kind);
        var target = DeploymentTargets.For(Engine, plan.Environment, NullLogger.Instance, TimeProvider.System, Workspace.PathOf("models"));
        Assert.That(target, Is.TypeOf<SwarmCanaryTarget>());
        var deployer = new Deployer(target, History, Workspace.PathOf("models"), NullLogger.Instance, TimeProvider.System);
        return await deployer.DeployAsync(plan, (await Engine.Images.InspectImageAsync(Image(version))).ID, CancellationToken.None);
    }

    private static Task<RolloutJournal> JournalAsync() =>
        PackageJson.ReadAsync<RolloutJournal>(RolloutJournal.PathFor(Workspace.PathOf("models"), Name, EnvironmentName), CancellationToken.None);

    private static async Task<string[]> RunningImagesAsync()
    {
        if (await Services.FindAsync(Service, CancellationToken.None) is not { } service)
        {
            return [];
        }

        var tasks = await Services.TasksAsync(service.ID, CancellationToken.None);
        return [.. tasks.Where(t => t.DesiredState == TaskState.Running && t.Status!.State == TaskState.Running).Select(t => t.Spec!.ContainerSpec!.Image!)];
    }
}
