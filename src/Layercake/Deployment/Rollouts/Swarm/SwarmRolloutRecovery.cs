using System.Globalization;
using Layercake.Deployment.Environments;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Rollouts.Swarm;

/// <summary>
/// What a swarm canary killed half-way left: the proxy and both versions' services, still serving the split that was
/// in force (Swarm restarts them), and the environment's service scaled to 0. The next deploy or rollback first gives
/// the environment's service its replicas back (or, after a promotion that had begun, waits for the new ones), then
/// removes the proxy and both backends: it undoes the rollout, never leaving the port without a listener.
/// </summary>
internal sealed class SwarmRolloutRecovery(SwarmRolloutServices services, ILogger logger)
{
    public async Task UndoAsync(DeploymentPlan current, CancellationToken cancellationToken)
    {
        var (model, environment) = (current.Model, current.Environment);
        var left = await services.ListAsync(model, environment.Name, cancellationToken).ConfigureAwait(false);
        var live = await services.FindAsync(environment.Swarm!.Service, cancellationToken).ConfigureAwait(false);
        string? kept = null;
        var scaled = live?.Spec?.Labels?.TryGetValue(SwarmRolloutServices.ReplicasLabel, out kept) == true;
        if (left.Count == 0 && !scaled)
        {
            await services.RemoveConfigsAsync(model, environment.Name).ConfigureAwait(false);
            return;
        }

        logger.LogWarning(
            "A rollout of '{Environment}' was interrupted and left {Count} service(s); undoing it: {Service} takes the port " +
            "again", environment.Name, left.Count, environment.Swarm.Service);
        if (live is not null)
        {
            var replicas = scaled && int.TryParse(kept, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : (int)(live.Spec?.Mode?.Replicated?.Replicas ?? 0);
            if (scaled)
            {
                await services.UpdateAsync(live.ID, spec =>
                {
                    spec.Mode!.Replicated!.Replicas = (ulong)replicas;
                    spec.Labels.Remove(SwarmRolloutServices.ReplicasLabel);
                    return spec;
                }, cancellationToken).ConfigureAwait(false);
            }

            var swarm = environment.Swarm;
            var timeout = environment.ReadyTimeout + (swarm.UpdateDelay + swarm.Monitor + environment.ReadyTimeout) * Math.Max(1, replicas);
            await services.WaitRunningAsync(live.ID, null, replicas, timeout, cancellationToken).ConfigureAwait(false);
        }

        foreach (var service in left.OrderBy(s => SwarmRolloutServices.RoleOf(s) == RolloutLabels.Proxy ? 0 : 1))
        {
            await services.RemoveAsync(service.ID, environment.DrainTimeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        await services.RemoveConfigsAsync(model, environment.Name).ConfigureAwait(false);
    }
}
