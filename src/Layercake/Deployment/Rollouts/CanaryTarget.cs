using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.Proxy;
using Layercake.Pipelines.Environments;
using Layercake.Runtime.Containers;
using Layercake.Shared.Docker;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Rollouts;

/// <summary>
/// A canary on one Docker engine, through HAProxy. After the new version's private trial, both versions start on
/// private loopback ports and the proxy joins the environment's port beside the live version (SO_REUSEPORT, as a
/// switch does), which then drains and leaves: from there every request goes through the proxy, which sends each
/// step's percent to the canary. On promotion the new version joins the port as a normal switch would and the proxy
/// leaves softly; on an abort the canary's weight goes to 0 at once, the stable version joins the port again and the
/// proxy leaves. The proxy is in the path only while the rollout runs. An environment with nothing live, and a
/// rollback, switch all at once.
/// </summary>
internal sealed class CanaryTarget(DockerClient docker, LocalDockerTarget inner, RolloutFiles? files, ILogger logger, TimeProvider time)
    : IDeploymentTarget
{
    private const string StableName = "stable";
    private const string CanaryName = "canary";
    private readonly RolloutContainers _containers = new(docker, time);
    private readonly ProxyContainer _proxy = new(docker, time);

    public Task<bool> EngineAnswersAsync(CancellationToken cancellationToken) => inner.EngineAnswersAsync(cancellationToken);

    public async Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        await new RolloutRecovery(docker, inner, _containers, _proxy, logger).UndoAsync(plan, cancellationToken).ConfigureAwait(false);
        var running = (await inner.ContainersAsync(plan.Model, environment.Name, cancellationToken).ConfigureAwait(false))
            .Where(c => c.State == "running").ToList();
        if (running.Count == 0 || plan.Kind == "rollback")
        {
            logger.LogInformation("Deploying {Version} all at once: {Why}", plan.Version,
                running.Count == 0 ? $"nothing is live in '{environment.Name}' to compare a canary with"
                    : "a rollback does not wait for analysis");
            return await inner.DeployAsync(plan, live, cancellationToken).ConfigureAwait(false);
        }

        var stableContainer = running[0];
        var stablePlan = plan with { Version = stableContainer.Labels[LayercakeLabels.Version], Image = stableContainer.Image };
        await inner.VerifyCandidateAsync(plan, cancellationToken).ConfigureAwait(false);
        var proxyImage = await new ProxyImage(docker, logger).EnsureAsync(cancellationToken).ConfigureAwait(false);
        var split = new Split(plan, stablePlan, stableContainer.ID);
        try
        {
            await StartSplitAsync(split, proxyImage, cancellationToken).ConfigureAwait(false);
            var run = new CanaryRun(environment.Strategy, split.Admin!, split.Stable!, split.Canary!, logger, time);
            var journal =
                new RolloutJournal(plan.Model, environment.Name, "canary", stablePlan.Version, plan.Version, RolloutJournal.Running, null,
                [], time.GetUtcNow(), time.GetUtcNow());
            await RolloutJournalFile.WriteAsync(files, journal, logger).ConfigureAwait(false);
            var (promote, reason) = await run.RunAsync(
                steps => RolloutJournalFile.WriteAsync(files, journal with { Steps = [.. steps], Updated = time.GetUtcNow() }, logger),
                cancellationToken).ConfigureAwait(false);
            var state = promote ? RolloutJournal.Promoted : RolloutJournal.Aborted;
            var concluded = journal with { State = state, Reason = reason, Steps = [.. run.Steps], Updated = time.GetUtcNow() };
            await RolloutJournalFile.WriteAsync(files, concluded, logger)
                .ConfigureAwait(false);
            if (promote)
            {
                await split.Admin!.SetSplitAsync(StableName, CanaryName, 100, CancellationToken.None).ConfigureAwait(false);
                await inner.StartLiveAsync(plan, true, CancellationToken.None).ConfigureAwait(false);
                await live().ConfigureAwait(false);
                split.Concluded = true;
                await EndSplitAsync(split).ConfigureAwait(false);
                return $"canary {plan.Model} {plan.Version} {reason}; live on port {environment.Port}, {stablePlan.Version} removed";
            }

            var back = await AbortAsync(split).ConfigureAwait(false);
            split.Concluded = true;
            throw new DeploymentFailedException($"canary {plan.Version} {reason}; all traffic back on {stablePlan.Version} {back}");
        }
        catch (Exception ex) when (!split.Concluded)
        {
            logger.LogWarning("The canary of {Version} stopped before it finished ({Message}); putting all traffic back on {Stable}",
                plan.Version, ex.Message, stablePlan.Version);
            await AbortAsync(split).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken)
    {
        var status = await inner.StatusAsync(model, environment, cancellationToken).ConfigureAwait(false);
        var rollout = await _containers.ListAsync(model, environment.Name, cancellationToken).ConfigureAwait(false);
        var proxy = rollout.FirstOrDefault(c => c.Labels[LayercakeLabels.Role] == RolloutLabels.Proxy && c.State == "running");
        if (proxy is null)
        {
            return status;
        }

        var instances =
            status.Instances.Concat(rollout.Select(c => new InstanceStatus(c.Names.FirstOrDefault()?.TrimStart('/') ?? c.ID[..12],
            c.Labels[LayercakeLabels.Role] == RolloutLabels.Proxy ? "proxy" : c.Labels.TryGetValue(LayercakeLabels.Version, out var version)
                ? version : "?",
            c.Image, c.ImageID, null, c.State, "none"))).ToList();
        var weight = await RolloutRecovery.CanaryWeightAsync(proxy).ConfigureAwait(false);
        return status with { Instances = instances,
            Note = $"a canary rollout holds port {environment.Port} through the proxy; the canary's weight is {weight}" };
    }

    private async Task StartSplitAsync(Split split, string proxyImage, CancellationToken cancellationToken)
    {
        var environment = split.Plan.Environment;
        var (stableId, stablePort) = await _containers.StartBackendAsync(split.StablePlan, RolloutLabels.Stable, cancellationToken)
            .ConfigureAwait(false);
        split.Started.Add(stableId);
        var (canaryId, canaryPort) = await _containers.StartBackendAsync(split.Plan, RolloutLabels.Canary, cancellationToken)
            .ConfigureAwait(false);
        split.Started.Add(canaryId);
        split.Stable = new ProxyBackend(StableName, stablePort, split.StablePlan.Version);
        split.Canary = new ProxyBackend(CanaryName, canaryPort, split.Plan.Version);
        var (checkPort, adminPort) = (HostPort.FreeLoopback(), HostPort.FreeLoopback());
        var labels = DeploymentLabels.For(split.Plan);
        labels[LayercakeLabels.Role] = RolloutLabels.Proxy;
        labels[RolloutLabels.AdminPort] = adminPort.ToString(CultureInfo.InvariantCulture);
        var config = ProxyConfig.Render(environment.Port, checkPort, adminPort, split.Stable, split.Canary, 0, environment.DrainTimeout);
        var name = $"layercake-{split.Plan.Model}-{environment.Name}-proxy-{Guid.NewGuid().ToString("N")[..6]}";
        split.Proxy = await _proxy.StartAsync(proxyImage, name, labels, config, checkPort, environment.ReadyTimeout, cancellationToken)
            .ConfigureAwait(false);
        split.Admin = new ProxyAdmin(adminPort);
        logger.LogInformation("HAProxy joined port {Port} beside {Stable}; {Stable} leaves it to the proxy", environment.Port,
            split.StablePlan.Version, split.StablePlan.Version);
        await inner.RemoveAsync(split.LiveStableId, environment.DrainTimeout + LocalDockerTarget.FlushMargin, CancellationToken.None)
            .ConfigureAwait(false);
        split.LiveStableRemoved = true;
    }

    /// <summary>All traffic to the stable version at once, then the stable version back on the port, then the proxy out.</summary>
    private async Task<string> AbortAsync(Split split)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var within = "";
        if (split.Admin is not null)
        {
            await split.Admin.SetSplitAsync(StableName, CanaryName, 0, CancellationToken.None).ConfigureAwait(false);
            within = $"(the proxy's split changed within {clock.Elapsed.TotalMilliseconds:F0} ms of the decision)";
        }

        if (split.LiveStableRemoved)
        {
            await inner.StartLiveAsync(split.StablePlan, true, CancellationToken.None).ConfigureAwait(false);
        }

        await EndSplitAsync(split).ConfigureAwait(false);
        return within;
    }

    private async Task EndSplitAsync(Split split)
    {
        var drain = split.Plan.Environment.DrainTimeout;
        if (split.Proxy is not null)
        {
            await _proxy.StopAsync(split.Proxy, drain).ConfigureAwait(false);
        }

        foreach (var id in split.Started)
        {
            await inner.RemoveAsync(id, drain + LocalDockerTarget.FlushMargin, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>What a rollout has started so far, so that an abort at any point removes exactly that.</summary>
    private sealed class Split(DeploymentPlan plan, DeploymentPlan stablePlan, string liveStableId)
    {
        public DeploymentPlan Plan { get; } = plan;
        public DeploymentPlan StablePlan { get; } = stablePlan;
        public string LiveStableId { get; } = liveStableId;
        public bool LiveStableRemoved { get; set; }

        /// <summary>Promoted (the new version recorded live) or aborted: nothing is to be undone from here.</summary>
        public bool Concluded { get; set; }
        public List<string> Started { get; } = [];
        public ProxyBackend? Stable { get; set; }
        public ProxyBackend? Canary { get; set; }
        public string? Proxy { get; set; }
        public ProxyAdmin? Admin { get; set; }
    }
}
