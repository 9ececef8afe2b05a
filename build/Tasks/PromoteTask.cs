using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Deployment.History;
using Layercake.Management;
using Layercake.Management.Releases;
using Layercake.Registry;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Promote")]
[TaskDescription("Deploys a released --model-version of --model to --environment if its gates passed and it holds up against the version live there (champion/challenger); builds or reuses its image.")]
public sealed class PromoteTask(IModelRegistry releases, IDeploymentHistory history, EnvironmentDeployment deployment, ILogger logger)
    : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.DeployEnvironment;
        var requested = context.Settings.RequestedVersion!;
        var report = await new PromoteStage(releases, history, deployment, logger)
            .RunAsync(context.Spec.Name, SemanticVersion.Parse(requested, "--model-version"), environment, context.Spec.Gates.Champion, context.CancellationToken);
        foreach (var line in report.Markdown)
        {
            StepSummary.Append(context, line);
        }
    }
}
