using Layercake.Shared.Lineage;
using Microsoft.Extensions.Logging;

namespace Layercake.Build;

/// <summary>The ShouldRun of a cached stage: run when forced or stale, and say which and why.</summary>
public static class CachedStage
{
    public static bool ShouldRun(
        BuildContext context, string task, string directory, Func<Task<Dictionary<string, string>>> inputs, IReadOnlyList<string> outputs, string unchanged)
    {
        if (context.Force)
        {
            return true;
        }

        var stale = StageCache.WhyStaleAsync(directory, inputs().GetAwaiter().GetResult(), outputs, context.CancellationToken).GetAwaiter().GetResult();
        if (stale is null)
        {
            context.Logger.LogInformation("Skipping {Task}: {Unchanged} are unchanged since the last run ({Directory}); --force re-runs it", task, unchanged, directory);
            return false;
        }

        context.Logger.LogInformation("Running {Task} because {Reason}", task, stale);
        return true;
    }
}
