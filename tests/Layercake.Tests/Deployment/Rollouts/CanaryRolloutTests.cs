using Layercake.Deployment;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.History;
using Layercake.Deployment.Rollouts;
using Layercake.Deployment.Rollouts.Docker;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Strategies;
using Layercake.Shared.Docker;
using Layercake.Shared.IO;
using Layercake.Tests.Deployment.Environments;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static Layercake.Tests.Deployment.Environments.DeploymentWorkspace;

namespace Layercake.Tests.Deployment.Rollouts;

/// <summary>
/// A canary through the real HAProxy on a real engine, under a fixed-rate load: a version that predicts like the live
/// one is promoted step by step with the declared share at each step, and one trained on other data (the species
/// names rotated, so it answers 200 with other classes) is aborted at its first step by the prediction check; no
/// request fails in either.
/// </summary>
[Category(Categories.Integration)]
[Category(Categories.Docker)]
[NonParallelizable]
public sealed class CanaryRolloutTests
{
    private const double Rate = 100;
    private static readonly int[] Steps = [10, 50];
    private int _port;
    private string _other = "";

    private static LocalDeploymentHistory History => new(Workspace.PathOf("models"), TimeProvider.System);

    [OneTimeSetUp]
    public async Task BuildAVersionTrainedOnOtherData()
    {
        await AcquireAsync();
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
    public Task Release() => ReleaseAsync();

    [Test, Order(1)]
    public async Task With_nothing_live_a_canary_deploys_all_at_once()
    {
        var record = await DeployAsync("1.0.0");

        Assert.Multiple(async () =>
        {
            Assert.That(record.State, Is.EqualTo(DeploymentState.Success));
            Assert.That(await ServedVersionAsync(_port), Is.EqualTo("1.0.0"));
        });
    }

    [Test, Order(2)]
    public async Task A_canary_that_predicts_alike_is_promoted_with_each_steps_share_and_no_failed_request()
    {
        await using var load = new SplitLoad(InferUri(_port), await InferBodyAsync(), Rate);
        await Task.Delay(1000);
        var record = await DeployAsync("1.1.0");
        await Task.Delay(1000);
        await load.DisposeAsync();

        var journal = await JournalAsync();
        TestContext.Out.WriteLine(string.Join('\n', journal.Steps.Select(s =>
            $"step {s.Weight} %: server share {s.CanaryShare:F1} %, client share {load.ShareOf("1.1.0", s.Started, s.Ended):F1} %, {s.StableRequests + s.CanaryRequests} requests")));
        Assert.Multiple(async () =>
        {
            Assert.That(load.Failures, Is.Empty, "no request fails across the rollout and the promotion");
            Assert.That(record.State, Is.EqualTo(DeploymentState.Success), record.Description);
            Assert.That(journal.State, Is.EqualTo(RolloutJournal.Promoted), journal.Reason);
            Assert.That(journal.Steps.Select(s => s.Weight), Is.EqualTo(Steps));
            foreach (var step in journal.Steps)
            {
                Assert.That(step.CanaryShare, Is.EqualTo(step.Weight).Within(5), $"servers' share at {step.Weight} %");
                Assert.That(load.ShareOf("1.1.0", step.Started, step.Ended), Is.EqualTo(step.Weight).Within(5), $"clients' share at {step.Weight} %");
            }

            Assert.That(await ServedVersionAsync(_port), Is.EqualTo("1.1.0"));
            Assert.That(await RolloutContainersAsync(), Is.Empty, "the proxy and both backends are gone");
        });
    }

    [Test, Order(3)]
    public async Task A_canary_trained_on_other_data_is_aborted_at_its_first_step_by_the_prediction_check()
    {
        await using var load = new SplitLoad(InferUri(_port), await InferBodyAsync(), Rate);
        await Task.Delay(1000);
        var error = Assert.ThrowsAsync<DeploymentFailedException>(() => DeployAsync(_other))!;
        await Task.Delay(1000);
        await load.DisposeAsync();

        var journal = await JournalAsync();
        var history = await History.ListAsync(Name, "canary", CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(load.Failures, Is.Empty, "no request fails through the abort");
            Assert.That(error.Message, Does.Contain($"canary {_other} aborted at 10 %").And.Contain("prediction drift FAILED").And.Contain("all traffic back on 1.1.0"));
            Assert.That(journal.State, Is.EqualTo(RolloutJournal.Aborted));
            Assert.That(journal.Steps, Has.Count.EqualTo(1), "aborted at the first step");
            Assert.That(journal.Steps[0].Checks.Single(c => c.Name == "prediction drift").Passed, Is.False);
            Assert.That((history[0].Version, history[0].State), Is.EqualTo((_other, DeploymentState.Failure)));
            Assert.That(history[0].Description, Does.Contain("prediction drift"));
            Assert.That(await ServedVersionAsync(_port), Is.EqualTo("1.1.0"));
            Assert.That(await RolloutContainersAsync(), Is.Empty);
        });
    }

    [Test, Order(4)]
    public async Task Status_shows_a_running_rollout_and_Ctrl_C_puts_all_traffic_back_on_the_stable_version()
    {
        await using var load = new SplitLoad(InferUri(_port), await InferBodyAsync(), Rate);
        using var interrupt = new CancellationTokenSource();
        var deploy = DeployAsync(_other, TimeSpan.FromSeconds(60), interrupt.Token);
        var status = await WaitForRolloutStatusAsync(TimeSpan.FromSeconds(90));
        await Task.Delay(2000);
        await interrupt.CancelAsync();
        Assert.CatchAsync<OperationCanceledException>(() => deploy);
        await Task.Delay(1000);
        await load.DisposeAsync();

        var history = await History.ListAsync(Name, "canary", CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(status.Note, Does.Contain("a canary rollout holds port").And.Contain("the canary's weight is 10 %"), status.Note);
            Assert.That(status.Instances.Select(i => i.Name), Has.Some.Contains("-proxy-").And.Some.Contains($"-rollout-canary-{_other}-"));
            Assert.That(status.Instances.Select(i => i.Version), Does.Contain("proxy").And.Contain(_other).And.Contain("1.1.0"));
            Assert.That(load.Failures, Is.Empty, "no request fails through the interrupt");
            Assert.That(load.Answers.Select(a => a.Version).Distinct(), Does.Contain(_other), "the canary did answer its share");
            Assert.That(await ServedVersionAsync(_port), Is.EqualTo("1.1.0"));
            Assert.That(await RolloutContainersAsync(), Is.Empty);
            Assert.That((history[0].Version, history[0].State, history[0].Description), Is.EqualTo((_other, DeploymentState.Failure, "cancelled")));
        });
    }

    [Test, Order(5)]
    public async Task A_rollout_left_by_a_killed_build_keeps_serving_and_the_next_rollback_undoes_it()
    {
        await using var load = new SplitLoad(InferUri(_port), await InferBodyAsync(), Rate);
        var frozen = new FrozenTimeProvider(TimeSpan.FromSeconds(30));
        var killed = new CanaryTarget(Engine, new LocalDockerTarget(Engine, NullLogger.Instance, frozen), null, NullLogger.Instance, frozen)
            .DeployAsync(await PlanAsync(_other, TimeSpan.FromSeconds(60), "deploy"), () => Task.CompletedTask, CancellationToken.None);
        var status = await WaitForRolloutStatusAsync(TimeSpan.FromSeconds(90));
        var served = await ServedVersionAsync(_port);
        var record = await DeployAsync("1.1.0", kind: "rollback");
        await Task.Delay(1000);
        await load.DisposeAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(killed.IsCompleted, Is.False, "the 'killed' rollout never went on");
            Assert.That(status.Note, Does.Contain("the canary's weight is 10 %"), "Status is true about the split left in force");
            Assert.That(served, Is.AnyOf("1.1.0", _other), "the environment answers while the rollout is left");
            Assert.That(load.Failures, Is.Empty, "no request fails while it is left, nor while it is undone");
            Assert.That(record.State, Is.EqualTo(DeploymentState.Success));
            Assert.That(await ServedVersionAsync(_port), Is.EqualTo("1.1.0"));
            Assert.That(await RolloutContainersAsync(), Is.Empty, "the proxy and both backends are removed");
        });
    }

    private async Task<Layercake.Deployment.Environments.EnvironmentStatus> WaitForRolloutStatusAsync(TimeSpan timeout)
    {
        var stage = new Layercake.Deployment.StatusStage(Engine, History, NullLogger.Instance, TimeProvider.System);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var report = await stage.RunAsync(Name, Environment(TimeSpan.FromSeconds(60)), CancellationToken.None);
            if (report.Status.Note?.Contains("the canary's weight is 10 %", StringComparison.Ordinal) == true || DateTimeOffset.UtcNow > deadline)
            {
                return report.Status;
            }

            await Task.Delay(500);
        }
    }

    private EnvironmentSpec Environment(TimeSpan interval) =>
        new("canary", DeployTargetKind.Docker, _port, null, null, "always", TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), null, new SourceLocation(1, 1))
        {
            Strategy = new RolloutStrategySpec(RolloutKind.Canary, Steps, interval, TimeSpan.Zero,
                // The p99 of 50-250 requests in 5 s is one to three requests on a machine shared with other builds: a
                // neighbour's burst alone moves it 10x, so the ratio is loose here; the prediction check is what is tested.
                RolloutAnalysisSpec.Default with { MinRequests = 20, MaxP99Ratio = 100, Window = TimeSpan.FromSeconds(5) }, new SourceLocation(1, 1)),
        };

    private async Task<DeploymentPlan> PlanAsync(string version, TimeSpan interval, string kind)
    {
        var registered = await VersionAsync(version);
        return new DeploymentPlan(Name, version, Image(version), registered.Manifest, await SamplesAsync(registered), Environment(interval), kind);
    }

    private async Task<DeploymentRecord> DeployAsync(string version, TimeSpan? interval = null, CancellationToken cancellationToken = default, string kind = "deploy")
    {
        var plan = await PlanAsync(version, interval ?? TimeSpan.FromSeconds(6), kind);
        var environment = plan.Environment;
        var target = DeploymentTargets.For(Engine, environment, NullLogger.Instance, TimeProvider.System, Workspace.PathOf("models"));
        var deployer = new Deployer(target, History, Workspace.PathOf("models"), NullLogger.Instance, TimeProvider.System);
        return await deployer.DeployAsync(plan, (await Engine.Images.InspectImageAsync(Image(version))).ID, cancellationToken);
    }

    private static Task<RolloutJournal> JournalAsync() =>
        PackageJson.ReadAsync<RolloutJournal>(RolloutJournal.PathFor(Workspace.PathOf("models"), Name, "canary"), CancellationToken.None);

    private static async Task<IList<Docker.DotNet.Models.ContainerListResponse>> RolloutContainersAsync() =>
        await new RolloutContainers(Engine, TimeProvider.System).ListAsync(Name, "canary", CancellationToken.None);
}
