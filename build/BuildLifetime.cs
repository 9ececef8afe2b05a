using Cake.Common.Diagnostics;
using Layercake.Build.Frosting;
using Layercake.Development;

namespace Layercake.Build;

/// <summary>
/// Before the first task: says where the run's log goes and checks the command line against the tasks to run. After
/// the last: logs and annotates a failure, and records a build that reached Train in the run store.
/// </summary>
public sealed class BuildLifetime(BuildPreflight preflight, RunRecorder recorder, Serilog.ILogger log) : AsyncFrostingLifetime<BuildContext>
{
    public override async Task SetupAsync(BuildContext context, IReadOnlyList<string> tasksToExecute)
    {
        context.Information($"Layercake: target {tasksToExecute[^1]}; tasks {string.Join(" → ", tasksToExecute)}");
        context.Verbose($"JSON log: {context.Settings.LogFile}");
        try
        {
            await preflight.RunAsync(tasksToExecute);
        }
        catch (Exception ex)
        {
            Report(context, ex);
            throw;
        }
    }

    public override async Task TeardownAsync(BuildContext context, Exception? failure)
    {
        if (failure is not null)
        {
            Report(context, failure);
        }

        if (context.RecordsRun && context.SpecLoaded)
        {
            await RecordAsync(context, failure);
        }
    }

    private void Report(BuildContext context, Exception failure)
    {
        log.Error(failure, BuildLogging.FailureTemplate, failure.Message);
        ActionsAnnotations.Report(context, failure);
    }

    /// <summary>A run store that cannot be written is a warning: the build's own result stands.</summary>
    private async Task RecordAsync(BuildContext context, Exception? failure)
    {
        try
        {
            await recorder.RecordAsync(context.RunFacts(failure), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            log.Warning(ex, "This run was not recorded in the run store {Store}: {Message}", context.Settings.RunStorePath, ex.Message);
        }
    }
}
