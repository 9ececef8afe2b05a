using Layercake.Shared.Lineage;
using Microsoft.Extensions.Logging;

namespace Layercake.Build;

/// <summary>
/// Whether a cached stage can be skipped: not when forced or stale, and it says which and why. It is asked from the
/// task's own run, because Cake's criteria are synchronous and the check reads files; the run store then records the
/// stage as skipped.
/// </summary>
public sealed class CachedStage(BuildContext context, ILogger logger)
{
    public async Task<bool> IsFreshAsync(
        string task, string directory, Func<Task<Dictionary<string, string>>> inputs, IReadOnlyList<string> outputs, string unchanged)
    {
        if (context.Settings.Force)
        {
            return false;
        }

        var stale = await StageCache.WhyStaleAsync(directory, await inputs(), outputs, context.CancellationToken);
        if (stale is not null)
        {
            logger.LogInformation("Running {Task} because {Reason}", task, stale);
            return false;
        }

        logger.LogInformation("Skipping {Task}: {Unchanged} are unchanged since the last run ({Directory}); --force re-runs it", task,
            unchanged, directory);
        context.Cached.Add(task);
        return true;
    }
}
