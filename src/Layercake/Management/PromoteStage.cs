using Layercake.Deployment;
using Layercake.Deployment.History;
using Layercake.Management.Promotion;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Gates;
using Layercake.Registry;
using Layercake.Management.Releases;
using Layercake.Pipelines;
using Microsoft.Extensions.Logging;

namespace Layercake.Management;

/// <summary>
/// The Promote task: a released version goes live in an environment when its own gates passed and it holds up
/// against the version live there (champion/challenger); its image is reused or built.
/// </summary>
public sealed class PromoteStage(IModelRegistry registry, IDeploymentHistory history, EnvironmentDeployment deployment, ILogger logger)
{
    public async Task<PromoteReport> RunAsync(string model, SemanticVersion version, EnvironmentSpec environment, ChampionGate gate, CancellationToken cancellationToken)
    {
        var decision = await new PromotionGate(registry, history).DecideAsync(model, version, environment.Name, gate, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Champion/challenger in {Environment}: {Comparison}", environment.Name, decision.Comparison.Describe());
        var deployed = await deployment.RunAsync(decision.Candidate, environment, "promote", buildImageIfNeeded: true, cancellationToken).ConfigureAwait(false);
        return new PromoteReport(decision, deployed);
    }
}
