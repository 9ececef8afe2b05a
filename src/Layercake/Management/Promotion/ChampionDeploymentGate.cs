using Layercake.Deployment;
using Layercake.Deployment.History;
using Layercake.Management.Releases;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Gates;
using Layercake.Registry;
using Microsoft.Extensions.Logging;

namespace Layercake.Management.Promotion;

/// <summary>
/// Deploy's gate, the one Promote applies: the version's own gates, and the champion live in the environment. The
/// champion gate gives way only to the operator's override, which is logged and returned for the history to keep.
/// </summary>
/// <param name="registry">Where the champion's manifest is looked up: the registry releases go to, as for Promote.</param>
public sealed class ChampionDeploymentGate(IModelRegistry registry, IDeploymentHistory history, ChampionGate gate, bool overrideChampion,
    ILogger logger)
    : IDeploymentGate
{
    public async Task<string?> ClearAsync(RegisteredVersion version, EnvironmentSpec environment, CancellationToken cancellationToken)
    {
        var decision = await new PromotionGate(registry, history)
            .DecideAsync(version, environment.Name, gate, overrideChampion, cancellationToken).ConfigureAwait(false);
        Log(logger, environment, decision, "deploying");
        return decision.OverrideNote;
    }

    /// <summary>The comparison as Deploy and Promote log it: a warning when the operator went past the gate.</summary>
    internal static void Log(ILogger logger, EnvironmentSpec environment, PromotionDecision decision, string doing)
    {
        if (decision.Overridden)
        {
            logger.LogWarning(
                "Champion/challenger in {Environment}: {Comparison}; {Doing} anyway as the operator asked, and recording the override",
                environment.Name, decision.Comparison.Describe(), doing);
        }
        else
        {
            logger.LogInformation("Champion/challenger in {Environment}: {Comparison}", environment.Name, decision.Comparison.Describe());
        }
    }
}
