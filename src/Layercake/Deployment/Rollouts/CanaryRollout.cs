using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Rollouts;

/// <summary>
/// A canary over any target's split: starts it, runs the schedule (<see cref="CanaryRun"/>), journals every window
/// beside the history and writes the report when it concludes, then promotes or aborts through the split. Anything
/// that stops it before it concluded (an error, Ctrl+C) aborts it: the stable version takes all traffic again.
/// </summary>
internal sealed class CanaryRollout(RolloutFiles? files, ILogger logger, TimeProvider time)
{
    public async Task<string> RunAsync(DeploymentPlan plan, string stableVersion, ICanarySplit split, Func<Task> live,
        CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        var concluded = false;
        try
        {
            var points = await split.StartAsync(cancellationToken).ConfigureAwait(false);
            var run = new CanaryRun(environment.Strategy, points.Admin, points.Stable, points.Canary, logger, time);
            var journal = new RolloutJournal(plan.Model, environment.Name, "canary", stableVersion, plan.Version, RolloutJournal.Running,
                null, [], time.GetUtcNow(), time.GetUtcNow());
            await RolloutJournalFile.WriteAsync(files, journal, logger).ConfigureAwait(false);
            var (promote, reason) = await run.RunAsync(async steps =>
            {
                await RolloutJournalFile.WriteAsync(files, journal with { Steps = [.. steps], Updated = time.GetUtcNow() }, logger)
                    .ConfigureAwait(false);
                await (plan.Progress?.Invoke(steps[^1].Report(plan.Version), cancellationToken) ?? Task.CompletedTask)
                    .ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            var state = promote ? RolloutJournal.Promoted : RolloutJournal.Aborted;
            var ended = journal with { State = state, Reason = reason, Steps = [.. run.Steps], Updated = time.GetUtcNow() };
            await RolloutJournalFile.WriteAsync(files, ended, logger).ConfigureAwait(false);
            if (promote)
            {
                // Once the new version is recorded live there is nothing to undo: what follows only removes the old.
                await split.PromoteAsync(async () =>
                {
                    await live().ConfigureAwait(false);
                    concluded = true;
                }).ConfigureAwait(false);
                concluded = true;
                return $"canary {plan.Model} {plan.Version} {reason}; live on port {environment.Port}, {stableVersion} removed";
            }

            var back = await split.AbortAsync().ConfigureAwait(false);
            concluded = true;
            throw new DeploymentFailedException($"canary {plan.Version} {reason}; all traffic back on {stableVersion} {back}");
        }
        catch (Exception ex) when (!concluded)
        {
            logger.LogWarning("The canary of {Version} stopped before it finished ({Message}); putting all traffic back on {Stable}",
                plan.Version, ex.Message, stableVersion);
            await split.AbortAsync().ConfigureAwait(false);
            throw;
        }
    }
}
