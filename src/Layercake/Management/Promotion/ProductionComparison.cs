using Layercake.Deployment.History;
using Layercake.Management.Releases;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Shared.GitHub;
using Microsoft.Extensions.Logging;

namespace Layercake.Management.Promotion;

/// <summary>
/// Evaluate's comparison with what serves users now: the version live in the given environment, or in
/// <c>production</c> when the pipeline declares it. Null when there is no such environment or nothing live.
/// </summary>
public sealed class ProductionComparison(IModelRegistry registry, IDeploymentHistory history, ILogger logger)
{
    /// <param name="environment">The environment asked for, when given; else <c>production</c> if the pipeline declares it.</param>
    public async Task<ProductionComparisonResult?> ForAsync(PipelineSpec spec, string? environment, string primaryMetric,
        double challengerMean, CancellationToken cancellationToken)
    {
        environment ??= spec.Environments.Any(e => e.Name == "production") ? "production" : null;
        if (environment is null)
        {
            return null;
        }

        DeploymentRecord? live;
        try
        {
            live = await LiveDeployment.FindAsync(history, spec.Name, environment, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubException ex)
        {
            // A comparison is extra information; a token without deployments: read must not fail the evaluation.
            logger.LogWarning("No comparison with {Environment}: {Message}", environment, ex.Message);
            return null;
        }

        if (live is null)
        {
            return null;
        }

        var champion = (await registry.ListAsync(spec.Name, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(v => v.Version.ToString() == live.Version)?.Manifest;
        if (champion is null)
        {
            return null;
        }

        // Nothing is deployed here: the comparison informs, so it is told without a verdict of the gate's.
        var comparison = ChampionChallengerGate.Evaluate(spec.Task, primaryMetric, challengerMean, champion, spec.Gates.Champion);
        return new ProductionComparisonResult(environment, comparison.AsInformation());
    }
}
