using Layercake.Build.Frosting;
using Layercake.Management;
using Layercake.Management.Promotion;
using Layercake.Registry;

namespace Layercake.Build.Tasks;

[TaskName("Promote")]
[TaskDescription("Deploys a released --model-version of --model to --environment if its gates passed and it holds up against the version live there (champion/challenger; --force overrides that, recorded); builds or reuses its image.")]
public sealed class PromoteTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.DeployEnvironment;
        var requested = context.RequestedVersion ?? throw new ArgumentException("Promote needs --model-version=X.Y.Z: the released version to promote.");
        try
        {
            var report = await new PromoteStage(context.ReleaseRegistry, context.DeploymentHistory, context.EnvironmentDeployment, context.Logger)
                .RunAsync(context.Spec.Name, SemanticVersion.Parse(requested, "--model-version"), environment, context.Spec.Gates.Champion, context.Force, context.CancellationToken);
            foreach (var line in report.Markdown)
            {
                StepSummary.Append(context, line);
            }
        }
        catch (PromotionRefusedException refused) when (refused.ChampionGate)
        {
            throw new PromotionRefusedException($"{refused.Message} Nothing was deployed; --force promotes it anyway and records the override.", true);
        }
    }
}
