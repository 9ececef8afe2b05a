using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Proxy;
using Layercake.Runtime.Containers;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Rollouts.Docker;

/// <summary>
/// What a rollout killed half-way left: the proxy and both versions behind it, still serving the split that was in
/// force (they restart with the engine). The next deploy or rollback of the environment first puts the stable
/// version back on the port as a live version, then removes the proxy and both backends: it undoes the rollout.
/// </summary>
internal sealed class RolloutRecovery(DockerClient docker, LocalDockerTarget inner, RolloutContainers containers, ProxyContainer proxy,
    ILogger logger)
{
    /// <param name="current">The deploy about to run; the stable version is started as a plan like it.</param>
    public async Task UndoAsync(DeploymentPlan current, CancellationToken cancellationToken)
    {
        var (model, environment) = (current.Model, current.Environment);
        var left = await containers.ListAsync(model, environment.Name, cancellationToken).ConfigureAwait(false);
        if (left.Count == 0)
        {
            return;
        }

        logger.LogWarning(
            "A rollout of '{Environment}' was interrupted and left {Count} container(s); undoing it: the stable version takes the port " +
            "again", environment.Name, left.Count);
        var liveRunning = (await inner.ContainersAsync(model, environment.Name, cancellationToken).ConfigureAwait(false))
            .Any(c => c.State == "running");
        var stable = left.FirstOrDefault(c => Role(c) == RolloutLabels.Stable);
        if (!liveRunning && stable is not null)
        {
            var inspected = await docker.Containers.InspectContainerAsync(stable.ID, cancellationToken).ConfigureAwait(false);
            var plan =
                current with { Version = stable.Labels[LayercakeLabels.Version], Image = inspected.Config?.Image ?? stable.Image,
                Kind = "rollback" };
            await inner.StartLiveAsync(plan, true, cancellationToken).ConfigureAwait(false);
        }

        foreach (var container in left.OrderBy(c => Role(c) == RolloutLabels.Proxy ? 0 : 1))
        {
            if (Role(container) == RolloutLabels.Proxy)
            {
                await proxy.StopAsync(container.ID, environment.DrainTimeout).ConfigureAwait(false);
            }
            else
            {
                await inner.RemoveAsync(container.ID, environment.DrainTimeout + LocalDockerTarget.FlushMargin, CancellationToken.None)
                    .ConfigureAwait(false);
            }
        }
    }

    private static string Role(ContainerListResponse container) => container.Labels.TryGetValue(LayercakeLabels.Role, out var role) ? role
        : "";
}
