using Cake.Common.Diagnostics;
using Cake.Core;
using Layercake.Build.Frosting;

namespace Layercake.Build;

/// <summary>Says where the run's log goes before the first task, and flushes it after the last.</summary>
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
        }

        context.Dispose();
    }
}
