using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Proxy;
using Layercake.Pipelines.Environments;
using Layercake.Runtime.Containers;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Rollouts.Swarm;

/// <summary>
/// A canary on the swarm target, with the docker target's schedule, checks, journal and report (<see cref="CanaryRollout"/>)
/// over a split of Swarm services (<see cref="SwarmCanarySplit"/>). An environment with nothing live, and a rollback,
/// deploy all at once as the swarm target does.
/// </summary>
internal sealed class SwarmCanaryTarget(DockerClient docker, SwarmTarget inner, RolloutFiles? files, ILogger logger, TimeProvider time)
    : IDeploymentTarget
{
    private readonly SwarmRolloutServices _services = new(docker, time);

    public Task<bool> EngineAnswersAsync(CancellationToken cancellationToken) => inner.EngineAnswersAsync(cancellationToken);

    public async Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        await inner.RequireManagerAsync(cancellationToken).ConfigureAwait(false);
        await new SwarmRolloutRecovery(_services, logger).UndoAsync(plan, cancellationToken).ConfigureAwait(false);
        var service = await _services.FindAsync(environment.Swarm!.Service, cancellationToken).ConfigureAwait(false);
        var running = service is null ? 0 : (await _services.TasksAsync(service.ID, cancellationToken).ConfigureAwait(false))
            .Count(t => t.DesiredState == TaskState.Running && t.Status?.State == TaskState.Running);
        var labels = service?.Spec?.Labels;
        if (service is null || running == 0 || plan.Kind == "rollback" || labels is null
            || !labels.TryGetValue(LayercakeLabels.Version, out var stableVersion))
        {
            logger.LogInformation("Deploying {Version} all at once: {Why}", plan.Version,
                plan.Kind == "rollback" ? "a rollback does not wait for analysis"
                    : $"nothing is live in '{environment.Name}' to compare a canary with");
            return await inner.DeployAsync(plan, live, cancellationToken).ConfigureAwait(false);
        }

        var stablePlan = plan with
        {
            Version = stableVersion,
            Image = service.Spec!.TaskTemplate?.ContainerSpec?.Image ?? plan.Image,
            ImageId = labels.TryGetValue(LayercakeLabels.ImageId, out var id) ? id : null,
        };
        var node = (await docker.System.GetSystemInfoAsync(cancellationToken).ConfigureAwait(false)).Swarm.NodeID;
        var proxyImage = await new ProxyImage(docker, logger).EnsureAsync(cancellationToken).ConfigureAwait(false);
        var split = new SwarmCanarySplit(docker, inner, plan, stablePlan, service.ID, proxyImage, node, logger, time);
        return await new CanaryRollout(files, logger, time).RunAsync(plan, stableVersion, split, live, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken)
    {
        var status = await inner.StatusAsync(model, environment, cancellationToken).ConfigureAwait(false);
        var rollout = await _services.ListAsync(model, environment.Name, cancellationToken).ConfigureAwait(false);
        var proxy = rollout.FirstOrDefault(s => SwarmRolloutServices.RoleOf(s) == RolloutLabels.Proxy);
        if (proxy is null)
        {
            return status;
        }

        var instances = new List<InstanceStatus>(status.Instances);
        foreach (var service in rollout)
        {
            var role = SwarmRolloutServices.RoleOf(service);
            var version = role == RolloutLabels.Proxy ? "proxy" : service.Spec!.Labels.TryGetValue(LayercakeLabels.Version, out var v) ? v
                : "?";
            var tasks = await _services.TasksAsync(service.ID, cancellationToken).ConfigureAwait(false);
            instances.AddRange(tasks.Where(t => t.DesiredState == TaskState.Running).Select(t => new InstanceStatus(
                $"{service.Spec!.Name}.{t.Slot}", version, t.Spec?.ContainerSpec?.Image ?? "?",
                t.Status?.ContainerStatus?.ContainerID is { Length: >= 12 } c ? c[..12] : "-", null,
                (t.Status?.State.ToString() ?? "unknown").ToLowerInvariant(), "none")));
        }

        var weight = await CanaryWeight.ReadAsync(proxy.Spec!.Labels).ConfigureAwait(false);
        return status with { Instances = instances,
            Note = $"a canary rollout holds port {environment.Port} through the proxy service {proxy.Spec.Name}; the canary's weight is " +
                $"{weight}" };
    }
}
