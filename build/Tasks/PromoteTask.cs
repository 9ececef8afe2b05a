using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Deployment.History;
using Layercake.Management;
using Layercake.Management.Releases;
using Layercake.Registry;
using Layercake.Shared.Errors;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Promote")]
[TaskDescription(
    "Deploys a released --model-version of --model to --environment if its gates passed and it holds up against the version live there " +
    "(champion/challenger; --force overrides that, recorded); builds or reuses its image.")]
public sealed class PromoteTask(IModelRegistry releases, IDeploymentHistory history, EnvironmentDeployment deployment, ILogger logger)
    : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var settings = context.Settings;
        var version = SemanticVersion.Parse(settings.RequestedVersion!, SettingNames.ModelVersion);
        var report = await new PromoteStage(releases, history, deployment, logger)
            .RunAsync(context.Spec.Name, version, context.DeployEnvironment, context.Spec.Gates.Champion, settings.Force,
                context.CancellationToken);
        foreach (var line in report.Markdown)
        {
            StepSummary.Append(context, line);
        }
    }
}
