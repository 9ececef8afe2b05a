using Layercake.Build.Frosting;
using Layercake.Management.Promotion;
using Layercake.Management.Registry;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Promote")]
[TaskDescription("Deploys a released --version of --model to --environment if its gates passed and it holds up against the version live there (champion/challenger); builds or reuses its image.")]
public sealed class PromoteTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.DeployEnvironment;
        var requested = context.RequestedVersion ?? throw new ArgumentException("Promote needs --version=X.Y.Z: the released version to promote.");
        var model = context.Spec.Name;
        var decision = await new PromotionGate(context.ReleaseRegistry, context.DeploymentHistory)
            .DecideAsync(model, SemanticVersion.Parse(requested, "--version"), environment.Name, context.Spec.Gates.Champion, context.CancellationToken);
        context.Logger.LogInformation("Champion/challenger in {Environment}: {Comparison}", environment.Name, decision.Comparison.Describe());

        await EnvironmentDeployment.RunAsync(context, decision.Candidate, environment, "promote", buildImageIfNeeded: true);
        StepSummary.Append(context, $"Champion/challenger: {decision.Comparison.Describe()}");
    }
}
