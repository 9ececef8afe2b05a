using Cake.Common.Diagnostics;
using Cake.Core;
using Layercake.Build.Frosting;
using Layercake.Development;
using Layercake.Development.Experiments;

namespace Layercake.Build;

/// <summary>
/// Says where the run's log goes before the first task; after the last, logs and annotates a failure, records a build
/// that reached Train in the run store, and flushes the log.
/// </summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
        context.Information($"Layercake: target {info.TargetTask.Name}; tasks {string.Join(" → ", info.TasksToExecute.Select(t => t.Name))}");
        context.Verbose($"JSON log: {context.LogFile}");
        if (info.TasksToExecute.Any(t => t.Name == "Prepare"))
        {
            // Before RecordsRun is set: a build whose data cannot be reached never ran, so it is not recorded.
            DataInputs.Ensure(context);
        }

        context.RecordsRun = info.TasksToExecute.Any(t => t.Name == "Train");
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        if (!info.Successful)
        {
            context.Serilog.Error(info.ThrownException, "Build failed: {Message}", info.ThrownException?.Message);
            if (info.ThrownException is { } thrown)
            {
                ActionsAnnotations.Report(context, Unwrap(thrown));
            }
        }

        if (context.RecordsRun && context.SpecLoaded)
        {
            Record(context, info.ThrownException is { } failure ? Unwrap(failure) : null);
        }

        context.Dispose();
    }

    /// <summary>A run store that cannot be written is a warning: the build's own result stands.</summary>
    private static void Record(BuildContext context, Exception? failure)
    {
        try
        {
            context.RunRecorder.RecordAsync(context.RunFacts(failure), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            context.Serilog.Warning(ex, "This run was not recorded in the run store {Store}: {Message}", context.RunStorePath, ex.Message);
        }
    }

    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && exception.InnerException is { } inner
            ? Unwrap(inner)
            : exception;
}
