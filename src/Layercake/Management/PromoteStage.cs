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
    /// <param name="overrideChampion">The operator's override of the champion gate (never of the version's own gates); recorded.</param>
    public async Task<PromoteReport> RunAsync(
        string model, SemanticVersion version, EnvironmentSpec environment, ChampionGate gate, bool overrideChampion,
            CancellationToken cancellationToken)
    {
        var decision = await new PromotionGate(registry, history)
            .DecideAsync(model, version, environment.Name, gate, cancellationToken, overrideChampion).ConfigureAwait(false);
        ChampionDeploymentGate.Log(logger, environment, decision, "promoting");

        var deployed =
            await deployment.RunAsync(decision.Candidate, environment, "promote", buildImageIfNeeded: true, cancellationToken,
            decision.OverrideNote)
            .ConfigureAwait(false);
        return new PromoteReport(decision, deployed);
    }
}
