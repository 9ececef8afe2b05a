using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Deployment.History;
using Layercake.Management.Promotion;
using Layercake.Management.Releases;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Deploy")]
[TaskDescription(
    "Puts the model's image live in --environment if it holds up against the version live there (--force deploys it anyway, recorded): a " +
    "trial on a private port, then a switch that fails no request.")]
[IsDependentOn(typeof(SmokeTestTask))]
public sealed class DeployTask(
    CurrentVersion current, IModelRegistry releases, IDeploymentHistory history, EnvironmentDeployment deployment, ILogger logger)
    : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var version = await current.GetAsync();
        var gate = new ChampionDeploymentGate(releases, history, context.Spec.Gates.Champion, context.Settings.Force, logger);
        var report = await new DeployStage(deployment, gate).RunAsync(version, context.DeployEnvironment, context.CancellationToken);
        StepSummary.Append(context, report.Markdown);
    }
}
