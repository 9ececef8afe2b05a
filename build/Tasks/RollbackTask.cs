using Layercake.Build.Frosting;
using Layercake.Management;

namespace Layercake.Build.Tasks;

[TaskName("Rollback")]
[TaskDescription("Redeploys the version that was live in --environment before the current one (or --model-version) by the same safe path, recorded as a new deployment; rebuilds its image if the engine lacks it.")]
public sealed class RollbackTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.DeployEnvironment;
        var report = await new RollbackStage(context.ReleaseRegistry, context.DeploymentHistory, context.EnvironmentDeployment, context.Logger)
            .RunAsync(context.Spec.Name, environment, context.RequestedVersion, context.CancellationToken);
        StepSummary.Append(context, report.Markdown);
    }
}
