using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Management.Promotion;

namespace Layercake.Build.Tasks;

[TaskName("Deploy")]
[TaskDescription("Puts the model's image live in --environment if it holds up against the version live there (--force deploys it anyway, recorded): a trial on a private port, then a switch that fails no request.")]
[IsDependentOn(typeof(SmokeTestTask))]
public sealed class DeployTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.DeployEnvironment;
        var version = await context.CurrentVersionAsync();
        try
        {
            var gate = new ChampionDeploymentGate(context.ReleaseRegistry, context.DeploymentHistory, context.Spec.Gates.Champion, context.Force, context.Logger);
            var report = await new DeployStage(context.EnvironmentDeployment, gate).RunAsync(version, environment, context.CancellationToken);
            StepSummary.Append(context, report.Markdown);
        }
        catch (PromotionRefusedException refused) when (refused.ChampionGate)
        {
            throw new PromotionRefusedException($"{refused.Message} Nothing was deployed; --force deploys it anyway and records the override.", true);
        }
    }
}
