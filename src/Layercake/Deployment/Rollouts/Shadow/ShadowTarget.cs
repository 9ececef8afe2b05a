using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.Proxy;
using Layercake.Deployment.Rollouts;
using Layercake.Deployment.Rollouts.Docker;
using Layercake.Pipelines.Environments;
using Layercake.Runtime.Containers;
using Layercake.Shared.Docker;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Rollouts.Shadow;

/// <summary>
/// A shadow on one Docker engine, through nginx's <c>mirror</c>. After the new version's private trial, the live
/// version and the shadow start on private loopback ports (the shadow logging to a volume of its own, so the
/// environment's log keeps one row per client request), and nginx joins the environment's port beside the live
/// version, which then drains and leaves. For the duration every request is answered by the live version and a copy
/// goes to the shadow, whose answer is discarded. Then the live version joins the port again, nginx leaves softly, and
/// both logs are compared on the very same requests. The shadow never goes live: its record in the history says so.
/// </summary>
internal sealed class ShadowTarget(DockerClient docker, LocalDockerTarget inner, RolloutFiles? files, ILogger logger, TimeProvider time)
    : IDeploymentTarget
{
    private readonly RolloutContainers _containers = new(docker, time);
    private readonly ProxyContainer _proxy = new(docker, time, ProxyProgram.Nginx);

    public static string VolumeFor(string model, string environment) => $"layercake-{model}-{environment}-shadow-predictions";

    public Task<bool> EngineAnswersAsync(CancellationToken cancellationToken) => inner.EngineAnswersAsync(cancellationToken);

    public async Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        await new RolloutRecovery(docker, inner, _containers, _proxy, logger).UndoAsync(plan, cancellationToken).ConfigureAwait(false);
        var running = (await inner.ContainersAsync(plan.Model, environment.Name, cancellationToken)
            .ConfigureAwait(false)).Where(c => c.State == "running").ToList();
        if (running.Count == 0 || plan.Kind == "rollback")
        {
            logger.LogInformation("Deploying {Version} all at once: {Why}", plan.Version,
                running.Count == 0
                    ? $"nothing is live in '{environment.Name}' whose requests a shadow could copy"
                    : "a rollback does not run a shadow");
            return await inner.DeployAsync(plan, live, cancellationToken).ConfigureAwait(false);
        }

        var stablePlan = plan with { Version = running[0].Labels[LayercakeLabels.Version], Image = running[0].Image };
        await inner.VerifyCandidateAsync(plan, cancellationToken).ConfigureAwait(false);
        var proxyImage = await new ProxyImage(docker, logger, ProxyProgram.Nginx).EnsureAsync(cancellationToken).ConfigureAwait(false);
        var mirror = new Mirror(plan, stablePlan, running[0].ID);
        await RemoveVolumeAsync(plan).ConfigureAwait(false);
        try
        {
            return await RunAsync(mirror, proxyImage, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!mirror.Concluded)
        {
            logger.LogWarning("The shadow of {Version} stopped before it finished ({Message}); {Stable} takes the port again",
                plan.Version, ex.Message, stablePlan.Version);
            await EndAsync(mirror, null).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await RemoveVolumeAsync(plan).ConfigureAwait(false);
        }
    }

    public async Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken)
    {
        var status = await inner.StatusAsync(model, environment, cancellationToken).ConfigureAwait(false);
        var rollout = await _containers.ListAsync(model, environment.Name, cancellationToken).ConfigureAwait(false);
        if (!rollout.Any(c => c.Labels[LayercakeLabels.Role] == RolloutLabels.Proxy && c.State == "running"))
        {
            return status;
        }

        string Version(ContainerListResponse c) => c.Labels.TryGetValue(LayercakeLabels.Version, out var v) ? v : "?";
        var answering = rollout.Where(c => c.Labels[LayercakeLabels.Role] == RolloutLabels.Stable).Select(Version).FirstOrDefault() ?? "?";
        var shadow = rollout.Where(c => c.Labels[LayercakeLabels.Role] == RolloutLabels.Shadow).Select(Version).FirstOrDefault() ?? "?";
        var instances = status.Instances.Concat(rollout.Select(c => new InstanceStatus(
            c.Names.FirstOrDefault()?.TrimStart('/') ?? c.ID[..12],
            c.Labels[LayercakeLabels.Role] == RolloutLabels.Proxy ? "proxy" : Version(c),
            c.Image, c.ImageID, null, c.State, "none"))).ToList();
        return status with
        {
            Instances = instances,
            Note = $"a shadow run holds port {environment.Port} through the mirroring proxy: {answering} answers every request, " +
                $"{shadow} gets a copy and answers no client",
        };
    }

    private async Task<string> RunAsync(Mirror mirror, string proxyImage, CancellationToken cancellationToken)
    {
        var (plan, stablePlan) = (mirror.Plan, mirror.StablePlan);
        await StartMirrorAsync(mirror, proxyImage, cancellationToken).ConfigureAwait(false);
        var journal = new RolloutJournal(plan.Model, plan.Environment.Name, "shadow", stablePlan.Version, plan.Version,
            RolloutJournal.Running, null, [], time.GetUtcNow(), time.GetUtcNow());
        await RolloutJournalFile.WriteAsync(files, journal, logger).ConfigureAwait(false);
        var run = new ShadowRun(plan.Environment.Strategy, mirror.Live!, mirror.Shadow!, logger, time);
        var (checks, liveRequests, shadowRequests, started) = await run.WatchAsync(cancellationToken).ConfigureAwait(false);
        var ended = time.GetUtcNow();
        mirror.Concluded = true;
        ShadowComparison? comparison = null;
        var (liveId, shadowId) = (mirror.Started[0], mirror.Started[1]);
        await EndAsync(mirror, async () => comparison = await run.CompareAsync(
            docker, liveId, shadowId, mirror.Opened, started, ended, CancellationToken.None).ConfigureAwait(false)).ConfigureAwait(false);
        var agreement = comparison!.ToCheck(plan.Environment.Strategy.Analysis);
        var step = new RolloutStep(100, started, ended, liveRequests, shadowRequests, [.. checks, agreement]);
        var reason = ShadowVerdict.Reason(plan.Version, stablePlan.Version, step, agreement);
        var concluded = journal with { State = RolloutJournal.Shadowed, Reason = reason, Steps = [step], Updated = time.GetUtcNow() };
        await RolloutJournalFile.WriteAsync(files, concluded, logger)
            .ConfigureAwait(false);
        throw new DeploymentFailedException(reason) { ShadowCompleted = true };
    }

    private async Task StartMirrorAsync(Mirror mirror, string proxyImage, CancellationToken cancellationToken)
    {
        var environment = mirror.Plan.Environment;
        // A second early: a log file's name holds its first line's time to the millisecond, the clock its own.
        mirror.Opened = time.GetUtcNow() - TimeSpan.FromSeconds(1);
        var (liveId, livePort) = await _containers.StartBackendAsync(mirror.StablePlan, RolloutLabels.Stable, cancellationToken)
            .ConfigureAwait(false);
        mirror.Started.Add(liveId);
        var (shadowId, shadowPort) = await _containers.StartBackendAsync(mirror.Plan, RolloutLabels.Shadow, cancellationToken,
            VolumeFor(mirror.Plan.Model, environment.Name)).ConfigureAwait(false);
        mirror.Started.Add(shadowId);
        mirror.Live = new ProxyBackend("live", livePort, mirror.StablePlan.Version);
        mirror.Shadow = new ProxyBackend("shadow", shadowPort, mirror.Plan.Version);
        var checkPort = HostPort.FreeLoopback();
        var labels = DeploymentLabels.For(mirror.Plan);
        labels[LayercakeLabels.Role] = RolloutLabels.Proxy;
        var config = MirrorConfig.Render(environment.Port, checkPort, mirror.Live, mirror.Shadow, environment.DrainTimeout);
        var name = $"layercake-{mirror.Plan.Model}-{environment.Name}-proxy-{Guid.NewGuid().ToString("N")[..6]}";
        mirror.Proxy = await _proxy.StartAsync(proxyImage, name, labels, config, checkPort, environment.ReadyTimeout, cancellationToken)
            .ConfigureAwait(false);
        logger.LogInformation(
            "nginx joined port {Port} beside {Live}, mirroring every request to {Shadow}; {Live} leaves the port to the proxy",
            environment.Port, mirror.StablePlan.Version, mirror.Plan.Version, mirror.StablePlan.Version);
        await inner.RemoveAsync(mirror.LiveId, environment.DrainTimeout + LocalDockerTarget.FlushMargin, CancellationToken.None)
            .ConfigureAwait(false);
        mirror.LiveRemoved = true;
    }

    /// <summary>
    /// The live version back on the port first, then the proxy out softly, then both backends stopped (which flushes
    /// their logs), read by <paramref name="stopped"/> when given, and removed.
    /// </summary>
    private async Task EndAsync(Mirror mirror, Func<Task>? stopped)
    {
        var drain = mirror.Plan.Environment.DrainTimeout;
        if (mirror.LiveRemoved)
        {
            await inner.StartLiveAsync(mirror.StablePlan, true, CancellationToken.None).ConfigureAwait(false);
        }

        if (mirror.Proxy is not null)
        {
            await _proxy.StopAsync(mirror.Proxy, drain).ConfigureAwait(false);
        }

        try
        {
            if (stopped is not null && mirror.Started.Count == 2)
            {
                var wait = (uint)Math.Ceiling((drain + LocalDockerTarget.FlushMargin).TotalSeconds);
                foreach (var id in mirror.Started)
                {
                    var stop = new ContainerStopParameters { WaitBeforeKillSeconds = wait };
                    await docker.Containers.StopContainerAsync(id, stop, CancellationToken.None)
                        .ConfigureAwait(false);
                }

                await stopped().ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var id in mirror.Started)
            {
                await inner.RemoveAsync(id, drain + LocalDockerTarget.FlushMargin, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task RemoveVolumeAsync(DeploymentPlan plan)
    {
        try
        {
            await docker.Volumes.RemoveAsync(VolumeFor(plan.Model, plan.Environment.Name), force: true, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>What a shadow run has started so far, so that an interruption at any point removes exactly that.</summary>
    private sealed class Mirror(DeploymentPlan plan, DeploymentPlan stablePlan, string liveId)
    {
        public DeploymentPlan Plan { get; } = plan;
        public DeploymentPlan StablePlan { get; } = stablePlan;
        public string LiveId { get; } = liveId;
        public bool LiveRemoved { get; set; }
        public bool Concluded { get; set; }

        /// <summary>Before the backends started: every log file they wrote was opened after it.</summary>
        public DateTimeOffset Opened { get; set; }

        /// <summary>The live backend, then the shadow.</summary>
        public List<string> Started { get; } = [];
        public ProxyBackend? Live { get; set; }
        public ProxyBackend? Shadow { get; set; }
        public string? Proxy { get; set; }
    }
}
