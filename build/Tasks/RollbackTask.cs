using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Deployment.History;
using Layercake.Management;
using Layercake.Management.Releases;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Rollback")]
[TaskDescription(
    "Redeploys the version that was live in --environment before the current one (or --model-version) by the same safe path, recorded as " +
    "a new deployment; rebuilds its image if the engine lacks it.")]
public sealed class RollbackTask(IModelRegistry releases, IDeploymentHistory history, EnvironmentDeployment deployment, ILogger logger)
    : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.DeployEnvironment;
        var report = await new RollbackStage(releases, history, deployment, logger)
            .RunAsync(context.Spec.Name, environment, context.Settings.RequestedVersion, context.CancellationToken);
        StepSummary.Append(context, report.Markdown);
    }
}
