using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Errors;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Environments;

/// <summary>
/// The swarm target's healing after Swarm called an update complete. Swarm rolls back a replica that fails within
/// <c>monitor</c> of its own update, but that window can close while the last old replica is still draining; a new
/// replica that dies just after the old ones stopped would then only be restarted, with the same version. So the new
/// replicas must keep running for another <c>monitor</c> once no old one runs; if one does not, Swarm is asked to
/// roll the service back to its previous spec, and the deploy fails naming the version that serves again.
/// </summary>
internal sealed class SwarmRecovery(DockerClient docker, ILogger logger, TimeProvider time)
{
    /// <summary>
    /// Null while every new replica keeps running for <paramref name="settle"/>; otherwise what went wrong. A replica
    /// of this update that already failed counts too: Swarm may have replaced it (same version) before the update
    /// was seen complete, and the replacement's running says nothing about the version.
    /// </summary>
    /// <param name="since">When the update was asked for: tasks of the image created since then are this update's.</param>
    public async Task<string?> WhyNotServingAsync(Func<Task<IList<TaskResponse>>> tasks, string image, DateTime since, TimeSpan settle,
        CancellationToken cancellationToken)
    {
        var watched = (await tasks().ConfigureAwait(false)).Where(t => IsRunning(t, image)).Select(t => t.ID).ToHashSet();
        var until = time.GetUtcNow() + settle;
        do
        {
            var stopped = (await tasks().ConfigureAwait(false))
                .Where(t => (watched.Contains(t.ID) && !IsRunning(t, image))
                    || (t.Spec?.ContainerSpec?.Image == image && t.CreatedAt >= since && HasEnded(t))).ToList();
            if (stopped.Count > 0)
            {
                var first = stopped[0];
                return $"replica {first.Slot} {(first.Status?.State.ToString() ?? "stopped").ToLowerInvariant()}" +
                    $"{(string.IsNullOrEmpty(first.Status?.Err) ? "" : $" ({first.Status.Err})")} after the old replicas drained";
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
        }
        while (time.GetUtcNow() < until);

        return null;
    }

    private static bool HasEnded(TaskResponse task) => task.Status?.State is TaskState.Failed or TaskState.Rejected or TaskState.Complete;

    /// <returns>The exception the deploy ends with: the restored version in it once Swarm has rolled back.</returns>
    public async Task<DeploymentFailedException> RollBackAsync(string serviceId, DeploymentPlan failed, RestoredVersion? previous,
        string failure, CancellationToken cancellationToken)
    {
        var environment = failed.Environment;
        logger.LogError("{Image} {Failure}; asking Swarm to roll {Service} back to {Version}", failed.Image, failure,
            environment.Swarm!.Service, previous?.Version ?? "its previous version");
        var service = await docker.Swarm.InspectServiceAsync(serviceId, CancellationToken.None).ConfigureAwait(false);
        await docker.Swarm.UpdateServiceAsync(serviceId,
            new ServiceUpdateParameters { Service = service.Spec
            ?? throw new DeploymentFailedException(
            $"{failed.Image} {failure}, and the Docker engine returned service {serviceId} without its spec, so it could not be rolled " +
            $"back."), Version = (long)(service.Version?.Index ?? 0), Rollback = "previous" }, CancellationToken.None)
            .ConfigureAwait(false);
        var deadline = time.GetUtcNow() + environment.ReadyTimeout
            + (environment.Swarm.UpdateDelay + environment.Swarm.Monitor + environment.ReadyTimeout) * environment.Swarm.Replicas;
        string? state;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken).ConfigureAwait(false);
            state = (await docker.Swarm.InspectServiceAsync(serviceId, cancellationToken).ConfigureAwait(false)).UpdateStatus?.State;
        }
        while (state is not ("rollback_completed" or "rollback_paused") && time.GetUtcNow() < deadline);

        if (state != "rollback_completed" || previous is null)
        {
            return new DeploymentFailedException(
                $"{failed.Image} {failure}; Swarm was asked to roll {environment.Swarm.Service} back, and its rollback is '" +
                $"{state ?? "unknown"}': look with 'docker service ps {environment.Swarm.Service}'.") { SwarmRolledBack = true };
        }

        logger.LogWarning("Rolled back automatically: {Version} serves port {Port} again", previous.Version, environment.Port);
        return new DeploymentFailedException(
            $"{failed.Model} {failed.Version} ({failed.Image}) {failure}; Swarm rolled the service {environment.Swarm.Service} back to " +
            $"the previous version, {failed.Model} {previous.Version}, which serves port {environment.Port} again (automatic rollback).")
        {
            SwarmRolledBack = true,
            Restored = previous,
        };
    }

    private static bool IsRunning(TaskResponse task, string image) =>
        task.Spec?.ContainerSpec?.Image == image && task.DesiredState == TaskState.Running && task.Status?.State == TaskState.Running;
}
