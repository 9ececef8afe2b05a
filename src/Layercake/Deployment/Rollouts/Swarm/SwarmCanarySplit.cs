using System.Diagnostics;
using System.Globalization;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.Proxy;
using Layercake.Deployment.SmokeTests;
using Layercake.Shared.Docker;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Rollouts.Swarm;

/// <summary>
/// A canary's split on the swarm target: each version as a service of its own on a private loopback port, HAProxy as a
/// service joining the environment's port beside the live replicas (SO_REUSEPORT on the host network), which are then
/// scaled to 0 (the count kept on the service, for an undo). On promotion the environment's service is updated to the
/// new version as an all-at-once swarm deploy does, its replicas join the port, and the proxy leaves softly; on an
/// abort the canary's weight goes to 0 at once, the service gets its replicas back, and the proxy leaves.
/// </summary>
internal sealed class SwarmCanarySplit(
    DockerClient docker, SwarmTarget inner, DeploymentPlan plan, DeploymentPlan stablePlan, string liveId, string proxyImage, string nodeId,
    ILogger logger, TimeProvider time) : ICanarySplit
{
    private readonly SwarmRolloutServices _services = new(docker, time);
    private readonly List<string> _backends = [];
    private string? _proxyId;
    private ProxyAdmin? _admin;
    private ServiceSpec? _liveSpec;

    public async Task<CanarySplitPoints> StartAsync(CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        var stable = await StartBackendAsync(stablePlan, RolloutLabels.Stable, CanarySplitPoints.StableName, cancellationToken)
            .ConfigureAwait(false);
        var canary = await StartBackendAsync(plan, RolloutLabels.Canary, CanarySplitPoints.CanaryName, cancellationToken)
            .ConfigureAwait(false);
        // The canary's trial: the smoke test on its own port, before it is sent a single client request.
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            await new SmokeTester(docker, logger, time).CheckAsync(http, new Uri($"http://127.0.0.1:{canary.Port}/"), plan.Image,
                plan.Manifest, plan.Samples, cancellationToken).ConfigureAwait(false);
        }

        var (checkPort, adminPort) = (HostPort.FreeLoopback(), HostPort.FreeLoopback());
        var config = ProxyConfig.Render(environment.Port, checkPort, adminPort, stable, canary, 0, environment.DrainTimeout);
        var configName =
            $"{SwarmRolloutSpecs.NameFor(environment.Swarm!.Service, RolloutLabels.Proxy)}-{Guid.NewGuid().ToString("N")[..6]}";
        var configId = (await docker.Configs.CreateConfigAsync(new SwarmCreateConfigParameters
        {
            Config = new SwarmConfigSpec
            {
                Name = configName,
                Labels = SwarmRolloutSpecs.RoleLabels(plan, RolloutLabels.Proxy),
                Data = Encoding.UTF8.GetBytes(config),
            },
        }, cancellationToken).ConfigureAwait(false)).ID;
        var spec = SwarmRolloutSpecs.Proxy(plan, proxyImage, SwarmRolloutSpecs.ConfigReference(configId, configName), adminPort, nodeId);
        _proxyId = await _services.StartAsync(spec, SwarmRolloutServices.ReadyUri(checkPort), environment.ReadyTimeout, cancellationToken)
            .ConfigureAwait(false);
        _admin = new ProxyAdmin(adminPort);
        logger.LogInformation("HAProxy (service {Proxy}) joined port {Port} beside {Stable}; {Service} is scaled to 0 for the rollout",
            spec.Name, environment.Port, stablePlan.Version, environment.Swarm.Service);
        await ScaleDownLiveAsync().ConfigureAwait(false);
        return new CanarySplitPoints(_admin, stable, canary);
    }

    public async Task PromoteAsync(Func<Task> live)
    {
        await _admin!.SetSplitAsync(CanarySplitPoints.StableName, CanarySplitPoints.CanaryName, 100, CancellationToken.None)
            .ConfigureAwait(false);
        // The environment's service becomes the new version exactly as an all-at-once deploy makes it (secrets included).
        await inner.DeployAsync(plan, live, CancellationToken.None).ConfigureAwait(false);
        await EndAsync().ConfigureAwait(false);
    }

    public async Task<string> AbortAsync()
    {
        var clock = Stopwatch.StartNew();
        var within = "";
        if (_admin is not null)
        {
            await _admin.SetSplitAsync(CanarySplitPoints.StableName, CanarySplitPoints.CanaryName, 0, CancellationToken.None)
                .ConfigureAwait(false);
            within = $"(the proxy's split changed within {clock.Elapsed.TotalMilliseconds:F0} ms of the decision)";
        }

        if (_liveSpec is { } before)
        {
            // The spec that served before the rollout, replicas included: also undoes a promotion that failed half-way.
            await _services.UpdateAsync(liveId, _ => before, CancellationToken.None).ConfigureAwait(false);
            var replicas = (int)(before.Mode?.Replicated?.Replicas ?? 1);
            if (!await _services.WaitRunningAsync(liveId, stablePlan.Image, replicas, RestoreTimeout(replicas), CancellationToken.None)
                .ConfigureAwait(false))
            {
                throw new DeploymentFailedException(
                    $"{stablePlan.Version} did not get its {replicas} replicas back on port {plan.Environment.Port} in time; the proxy " +
                    $"keeps serving it there: look with 'docker service ps {plan.Environment.Swarm!.Service}'.");
            }
        }

        await EndAsync().ConfigureAwait(false);
        return within;
    }

    private TimeSpan RestoreTimeout(int replicas)
    {
        var (environment, swarm) = (plan.Environment, plan.Environment.Swarm!);
        return environment.ReadyTimeout + (swarm.UpdateDelay + swarm.Monitor + environment.ReadyTimeout) * replicas;
    }

    private async Task<ProxyBackend> StartBackendAsync(DeploymentPlan version, string role, string name,
        CancellationToken cancellationToken)
    {
        var (port, admin) = (HostPort.FreeLoopback(), HostPort.FreeLoopback());
        _backends.Add(await _services.StartAsync(SwarmRolloutSpecs.Backend(version, role, port, admin, nodeId),
            SwarmRolloutServices.ReadyUri(port), plan.Environment.ReadyTimeout, cancellationToken).ConfigureAwait(false));
        return new ProxyBackend(name, port, version.Version);
    }

    /// <summary>The live replicas leave the port to the proxy; the count they had is kept on the service for an undo.</summary>
    private async Task ScaleDownLiveAsync()
    {
        var drain = plan.Environment.DrainTimeout;
        var inspected = await docker.Swarm.InspectServiceAsync(liveId, CancellationToken.None).ConfigureAwait(false);
        _liveSpec = inspected.Spec;
        var replicas = inspected.Spec?.Mode?.Replicated?.Replicas ?? 1;
        // A copy of what it was: the update's spec is read again from the engine, so the one kept here stays untouched.
        await _services.UpdateAsync(liveId, spec =>
        {
            spec.Mode!.Replicated!.Replicas = 0;
            spec.Labels[SwarmRolloutServices.ReplicasLabel] = replicas.ToString(CultureInfo.InvariantCulture);
            return spec;
        }, CancellationToken.None).ConfigureAwait(false);
        await _services.WaitRunningAsync(liveId, null, 0, drain + TimeSpan.FromSeconds(15), CancellationToken.None).ConfigureAwait(false);
    }

    private async Task EndAsync()
    {
        var drain = plan.Environment.DrainTimeout;
        if (_proxyId is not null)
        {
            await _services.RemoveAsync(_proxyId, drain + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        foreach (var id in _backends)
        {
            await _services.RemoveAsync(id, drain).ConfigureAwait(false);
        }

        await _services.RemoveConfigsAsync(plan.Model, plan.Environment.Name).ConfigureAwait(false);
    }
}
