using Layercake.Build.Frosting;
using Layercake.Deployment;

namespace Layercake.Build.Tasks;

[TaskName("Deploy")]
[TaskDescription("Puts the model's image live in --environment: a trial on a private port, then a switch that fails no request; a version that fails its trial never takes over.")]
[IsDependentOn(typeof(SmokeTestTask))]
public sealed class DeployTask(CurrentVersion current, EnvironmentDeployment deployment) : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.DeployEnvironment;
        var version = await current.GetAsync();
        var report = await new DeployStage(deployment).RunAsync(version, environment, context.CancellationToken);
        StepSummary.Append(context, report.Markdown);
    }
}
