using Cake.Common.Diagnostics;
using Cake.Core;
using Layercake.Build.Frosting;

namespace Layercake.Build;

/// <summary>Says where the run's log goes before the first task; after the last, logs and annotates a failure and flushes the log.</summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
        context.Information($"Layercake: target {info.TargetTask.Name}; tasks {string.Join(" → ", info.TasksToExecute.Select(t => t.Name))}");
        context.Verbose($"JSON log: {context.LogFile}");
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

        context.Dispose();
    }

    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && exception.InnerException is { } inner
            ? Unwrap(inner)
            : exception;
}
