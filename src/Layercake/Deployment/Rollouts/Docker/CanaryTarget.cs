using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Proxy;
using Layercake.Pipelines.Environments;
using Layercake.Runtime.Containers;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Rollouts.Docker;

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
    private readonly RolloutContainers _containers = new(docker, time);

    public Task<bool> EngineAnswersAsync(CancellationToken cancellationToken) => inner.EngineAnswersAsync(cancellationToken);

    public async Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        await new RolloutRecovery(docker, inner, _containers, new ProxyContainer(docker, time), logger).UndoAsync(plan, cancellationToken)
            .ConfigureAwait(false);
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
        var split = new DockerCanarySplit(docker, inner, plan, stablePlan, stableContainer.ID, proxyImage, logger, time);
        return await new CanaryRollout(files, logger, time).RunAsync(plan, stablePlan.Version, split, live, cancellationToken)
            .ConfigureAwait(false);
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
        var weight = await CanaryWeight.ReadAsync(proxy.Labels).ConfigureAwait(false);
        return status with { Instances = instances,
            Note = $"a canary rollout holds port {environment.Port} through the proxy; the canary's weight is {weight}" };
    }
}
