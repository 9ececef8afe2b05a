using Layercake.Deployment.Errors;
using Layercake.Deployment.History;
using Layercake.Registry;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Environments;

/// <summary>
/// Deploys a plan through its target and records it: in progress before anything starts, then success or
/// failure with the reason. One deployment per environment at a time (a folder lock beside the history), so two
/// runs cannot interleave their switches.
/// </summary>
internal sealed class Deployer(IDeploymentTarget target, IDeploymentHistory history, string lockRoot, ILogger logger, TimeProvider time)
{
    public async Task<DeploymentRecord> DeployAsync(DeploymentPlan plan, string imageId, CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        await using var _ =
            await FolderLock.AcquireAsync(Path.Combine(lockRoot, plan.Model, "deployments", environment.Name), TimeSpan.FromMinutes(10),
            time, cancellationToken).ConfigureAwait(false);
        await ConcludeInterruptedAsync(plan, cancellationToken).ConfigureAwait(false);
        var record = await history.StartAsync(new DeploymentRequest(plan.Model, environment.Name, plan.Version, imageId,
            environment.Target.ToString().ToLowerInvariant(), plan.Kind, Noted($"{plan.Kind} {plan.Model} {plan.Version}", plan)),
                cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Deploying {Model} {Version} to {Environment} ({Target}, port {Port}) as deployment {Id}",
            plan.Model, plan.Version, environment.Name, environment.Target, environment.Port, record.Id);
        var recordedLive = false;
        async Task Live()
        {
            record = await history.CompleteAsync(record, DeploymentState.Success,
                Noted($"{plan.Model} {plan.Version} live on port {environment.Port}", plan), CancellationToken.None).ConfigureAwait(false);
            recordedLive = true;
        }

        async Task Progress(string step, CancellationToken token)
        {
            try
            {
                record = await history.ProgressAsync(record, step, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("The history did not record a step of deployment {Id} ({Message}): {Step}", record.Id, ex.Message, step);
            }
        }

        string account;
        try
        {
            account = await target.DeployAsync(plan with { Progress = Progress }, Live, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await RecordFailureAsync(plan, record, recordedLive, ex).ConfigureAwait(false);
            throw;
        }

        // Outside the try: the version is live, so a failure to record that must not be recorded as a failed deploy.
        logger.LogInformation("{Account}", account);
        return recordedLive ? record
            : await history.CompleteAsync(record, DeploymentState.Success, Noted(account, plan), CancellationToken.None)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Records a failed deploy (and an automatic rollback), or says what a lost engine leaves; throws in place of
    /// <paramref name="ex"/> where the user needs other words, and returns where the original error should be rethrown.
    /// </summary>
    private async Task RecordFailureAsync(DeploymentPlan plan, DeploymentRecord record, bool recordedLive, Exception ex)
    {
        var environment = plan.Environment;
        var lostEngine = await EngineFailure.IsLostEngineAsync(ex, target).ConfigureAwait(false);
        if (!lostEngine && EngineFailure.IsConnectionError(ex))
        {
            logger.LogInformation("The Docker engine answers a ping, so the deploy's connection error is not a lost engine: {Message}",
                ex.Message);
        }

        if (recordedLive && lostEngine && ex is not DeploymentFailedException)
        {
            // The new version took traffic and is recorded live; the engine went away while the old one drained. A
            // failure record would leave the history naming nothing live while the new version serves (it comes back
            // with the engine by its restart policy); the next deploy drains whatever of the old one came back too.
            throw new DeploymentFailedException(
                $"{plan.Model} {plan.Version} is live on port {environment.Port} (recorded so), but {EngineFailure.Describe(ex)} " +
                $"while the previous version drained. " +
                $"When the engine is back its containers start as their restart policy says; run Status to see what runs, and deploy " +
                    $"again to remove what is left of the old version.", ex);
        }

        // With the engine answering, an error after the switch is recorded as any other failure after it: the
        // switch did not finish as planned, and Status shows what runs beside the history.
        var reason = ex is OperationCanceledException ? "cancelled" : lostEngine ? EngineFailure.Describe(ex) : ex.Message;
        try
        {
            await history.CompleteAsync(record, DeploymentState.Failure, Shorten(reason), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception recording) when (recording is not OperationCanceledException)
        {
            // The deploy's own error is what the user needs; the history's is logged beside it.
            logger.LogError("Could not record deployment {Id} as failed in the history: {Message}", record.Id, recording.Message);
        }

        if (ex is DeploymentFailedException { Restored: { } restored })
        {
            await RecordAutomaticRollbackAsync(plan, restored).ConfigureAwait(false);
        }

        if (lostEngine && ex is not DeploymentFailedException)
        {
            throw new DeploymentFailedException(
                $"{plan.Model} {plan.Version} was not deployed to '{environment.Name}': {EngineFailure.Describe(ex)} (recorded as " +
                $"failed). " +
                "When the engine is back, the version recorded live before this deploy starts again as its restart policy says; run " +
                    "Status to see what runs, and deploy again.", ex);
        }
    }

    /// <summary>
    /// A deployment still in progress while we hold the environment's lock belongs to a run that died (killed, or its
    /// machine lost) before it finished. It never became live (a deploy records success before the old version
    /// stops), so it is concluded as failed, and the history no longer shows a deploy that is not happening.
    /// </summary>
    private async Task ConcludeInterruptedAsync(DeploymentPlan plan, CancellationToken cancellationToken)
    {
        foreach (var stale in (await history.ListAsync(plan.Model, plan.Environment.Name, cancellationToken).ConfigureAwait(false))
            .Where(r => r.State == DeploymentState.InProgress))
        {
            logger.LogWarning("Deployment {Id} of {Version} was interrupted before it finished; recording it as failed", stale.Id,
                stale.Version);
            await history.CompleteAsync(stale, DeploymentState.Failure, "interrupted: the run deploying it ended before it finished",
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The target put the previous version back by itself, so the history gets that as a deployment of its own: the
    /// live record is then the one that is true, and the failed version's record stays a failure.
    /// </summary>
    private async Task RecordAutomaticRollbackAsync(DeploymentPlan plan, RestoredVersion restored)
    {
        var environment = plan.Environment;
        try
        {
            var rollback = await history.StartAsync(new DeploymentRequest(plan.Model, environment.Name, restored.Version, restored.ImageId,
                environment.Target.ToString().ToLowerInvariant(), "rollback",
                    $"automatic rollback to {restored.Version}: {plan.Version} failed after the switch"), CancellationToken.None)
                    .ConfigureAwait(false);
            await history.CompleteAsync(rollback, DeploymentState.Success,
                $"{plan.Model} {restored.Version} live on port {environment.Port} again (automatic rollback from {plan.Version})",
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception recording) when (recording is not OperationCanceledException)
        {
            logger.LogError("{Version} serves again, but the automatic rollback could not be recorded in the history: {Message}",
                restored.Version, recording.Message);
        }
    }

    /// <summary>An override stays in the record whatever its state says, so the history shows who went past a gate.</summary>
    private static string Noted(string description, DeploymentPlan plan) =>
        plan.Override is { } note ? Shorten($"{description} ({note})") : description;

    /// <summary>History descriptions stay short (GitHub allows 140 characters); the full message is in the log.</summary>
    private static string Shorten(string text)
    {
        var line = text.Split('\n')[0];
        return line.Length <= 140 ? line : line[..137] + "...";
    }
}
