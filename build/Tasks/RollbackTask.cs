using Layercake.Build.Frosting;
using Layercake.Deployment.History;
using Layercake.Management.Registry;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Rollback")]
[TaskDescription("Redeploys the version that was live in --environment before the current one (or --version) by the same safe path, recorded as a new deployment; rebuilds its image if the engine lacks it.")]
public sealed class RollbackTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.DeployEnvironment;
        var history = await context.DeploymentHistory.ListAsync(context.Spec.Name, environment.Name, context.CancellationToken);
        var target = RollbackPlanner.Choose(history, environment.Name, context.RequestedVersion);
        context.Logger.LogInformation("Rolling {Environment} back to {Model} {Version}", environment.Name, context.Spec.Name, target);
        var version = await context.ReleaseRegistry.FetchAsync(context.Spec.Name, SemanticVersion.Parse(target, "the rollback version"), context.CancellationToken);
        await EnvironmentDeployment.RunAsync(context, version, environment, "rollback", buildImageIfNeeded: true);
    }
}
