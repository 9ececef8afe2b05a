using System.Globalization;
using Docker.DotNet;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Proxy;
using Layercake.Runtime.Containers;
using Layercake.Shared.Docker;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Rollouts.Docker;

/// <summary>
/// A canary's split on one Docker engine: both versions start on private loopback ports and HAProxy joins the
/// environment's port beside the live version (SO_REUSEPORT, as a switch does), which then drains and leaves. On
/// promotion the new version joins the port as a normal switch would and the proxy leaves softly; on an abort the
/// canary's weight goes to 0 at once, the stable version joins the port again and the proxy leaves.
/// </summary>
internal sealed class DockerCanarySplit(
    DockerClient docker, LocalDockerTarget inner, DeploymentPlan plan, DeploymentPlan stablePlan, string liveStableId, string proxyImage,
    ILogger logger, TimeProvider time) : ICanarySplit
{
    private const string StableName = CanarySplitPoints.StableName;
    private const string CanaryName = CanarySplitPoints.CanaryName;
    private readonly RolloutContainers _containers = new(docker, time);
    private readonly ProxyContainer _proxy = new(docker, time);
    private readonly List<string> _started = [];
    private bool _liveStableRemoved;
    private string? _proxyId;
    private ProxyAdmin? _admin;

    public async Task<CanarySplitPoints> StartAsync(CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        var (stableId, stablePort) = await _containers.StartBackendAsync(stablePlan, RolloutLabels.Stable, cancellationToken)
            .ConfigureAwait(false);
        _started.Add(stableId);
        var (canaryId, canaryPort) = await _containers.StartBackendAsync(plan, RolloutLabels.Canary, cancellationToken)
            .ConfigureAwait(false);
        _started.Add(canaryId);
        var stable = new ProxyBackend(StableName, stablePort, stablePlan.Version);
        var canary = new ProxyBackend(CanaryName, canaryPort, plan.Version);
        var (checkPort, adminPort) = (HostPort.FreeLoopback(), HostPort.FreeLoopback());
        var labels = DeploymentLabels.For(plan);
        labels[LayercakeLabels.Role] = RolloutLabels.Proxy;
        labels[RolloutLabels.AdminPort] = adminPort.ToString(CultureInfo.InvariantCulture);
        var config = ProxyConfig.Render(environment.Port, checkPort, adminPort, stable, canary, 0, environment.DrainTimeout);
        var name = $"layercake-{plan.Model}-{environment.Name}-proxy-{Guid.NewGuid().ToString("N")[..6]}";
        _proxyId = await _proxy.StartAsync(proxyImage, name, labels, config, checkPort, environment.ReadyTimeout, cancellationToken)
            .ConfigureAwait(false);
        _admin = new ProxyAdmin(adminPort);
        logger.LogInformation("HAProxy joined port {Port} beside {Stable}; {Stable} leaves it to the proxy", environment.Port,
            stablePlan.Version, stablePlan.Version);
        await inner.RemoveAsync(liveStableId, environment.DrainTimeout + LocalDockerTarget.FlushMargin, CancellationToken.None)
            .ConfigureAwait(false);
        _liveStableRemoved = true;
        return new CanarySplitPoints(_admin, stable, canary);
    }

    public async Task PromoteAsync(Func<Task> live)
    {
        await _admin!.SetSplitAsync(StableName, CanaryName, 100, CancellationToken.None).ConfigureAwait(false);
        await inner.StartLiveAsync(plan, true, CancellationToken.None).ConfigureAwait(false);
        await live().ConfigureAwait(false);
        await EndAsync().ConfigureAwait(false);
    }

    /// <summary>All traffic to the stable version at once, then the stable version back on the port, then the proxy out.</summary>
    public async Task<string> AbortAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var within = "";
        if (_admin is not null)
        {
            await _admin.SetSplitAsync(StableName, CanaryName, 0, CancellationToken.None).ConfigureAwait(false);
            within = $"(the proxy's split changed within {clock.Elapsed.TotalMilliseconds:F0} ms of the decision)";
        }

        if (_liveStableRemoved)
        {
            await inner.StartLiveAsync(stablePlan, true, CancellationToken.None).ConfigureAwait(false);
        }

        await EndAsync().ConfigureAwait(false);
        return within;
    }

    private async Task EndAsync()
    {
        var drain = plan.Environment.DrainTimeout;
        if (_proxyId is not null)
        {
            await _proxy.StopAsync(_proxyId, drain).ConfigureAwait(false);
        }

        foreach (var id in _started)
        {
            await inner.RemoveAsync(id, drain + LocalDockerTarget.FlushMargin, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
