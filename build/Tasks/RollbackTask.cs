using Layercake.Build.Frosting;
using Layercake.Deployment;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Rollback")]
[TaskDescription("Redeploys the version that was live in --environment before the current one (or --version) by the same safe path, recorded as a new deployment.")]
public sealed class RollbackTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.DeployEnvironment;
        var history = await context.DeploymentHistory.ListAsync(context.Spec.Name, environment.Name, context.CancellationToken);
        var target = RollbackPlanner.Choose(history, environment.Name, context.RequestedVersion);
        var versions = await context.ModelRegistry.ListAsync(context.Spec.Name, context.CancellationToken);
        var version = versions.FirstOrDefault(v => v.Version.ToString() == target)
            ?? throw new InvalidOperationException($"{context.Spec.Name} {target} is in the history of '{environment.Name}' but not in the registry {context.Paths.Models}.");
        context.Logger.LogInformation("Rolling {Environment} back to {Model} {Version}", environment.Name, context.Spec.Name, target);
        await EnvironmentDeployment.RunAsync(context, version, environment, "rollback");
    }
}
