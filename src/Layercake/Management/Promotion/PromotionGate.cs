using Layercake.Deployment.History;
using Layercake.Pipelines.Gates;
using Layercake.Registry;
using Layercake.Management.Releases;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;

namespace Layercake.Management.Promotion;

/// <summary>
/// What Promote and Deploy check before anything is deployed: the version is in the registry and intact, its own
/// gates passed when it was trained, and it is no worse than the champion (the version live in the environment now)
/// by more than the pipeline's <c>gates.champion</c> allows. The operator may override the champion gate, never the
/// version's own gates; an override is returned as such so that the deployment records it.
/// </summary>
internal sealed class PromotionGate(IModelRegistry registry, IDeploymentHistory history)
{
    public async Task<PromotionDecision> DecideAsync(
        string model, SemanticVersion version, string environment, ChampionGate gate, CancellationToken cancellationToken,
            bool overrideChampion = false)
    {
        var candidate = await registry.FetchAsync(model, version, cancellationToken).ConfigureAwait(false);
        return await DecideAsync(candidate, environment, gate, overrideChampion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same checks for a version already at hand (Deploy's, which this run packaged).</summary>
    public async Task<PromotionDecision> DecideAsync(
        RegisteredVersion candidate, string environment, ChampionGate gate, bool overrideChampion, CancellationToken cancellationToken)
    {
        var (model, version) = (candidate.Pipeline, candidate.Version.ToString());
        var failed = candidate.Manifest.Gates.Where(g => !g.Passed).Select(g => g.Gate).ToList();
        if (failed.Count > 0)
        {
            throw new PromotionRefusedException(
                $"{model} {version} failed its gates when it was trained ({string.Join(", ", failed)}); it cannot be deployed.");
        }

        var live = await LiveDeployment.FindAsync(history, model, environment, cancellationToken).ConfigureAwait(false);
        ModelManifest? champion = null;
        if (live is not null && live.Version != version)
        {
            champion = (await registry.ListAsync(model, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(v => v.Version.ToString() == live.Version)?.Manifest;
            if (champion is null)
            {
                var unknown =
                    new ChampionComparison(candidate.Manifest.PrimaryMetric, candidate.Manifest.PrimaryMetricSummary.Mean, null,
                    live.Version, 0, false,
                    $"{live.Version} is live in '{environment}' but not in the {registry.Description}, so the two cannot be compared");
                return Decide(candidate, live.Version, unknown, environment, overrideChampion);
            }
        }

        return Decide(candidate, live?.Version, ChampionChallengerGate.Evaluate(candidate.Manifest, champion, gate), environment,
            overrideChampion);
    }

    private static PromotionDecision Decide(RegisteredVersion candidate, string? live, ChampionComparison comparison, string environment,
        bool overrideChampion)
    {
        if (!comparison.Passed && !overrideChampion)
        {
            throw new PromotionRefusedException(
                $"{candidate.Pipeline} {candidate.Version} may not replace {live} in '{environment}': {comparison.Describe()}.",
                    championGate: true);
        }

        return new PromotionDecision(candidate, live, comparison) { Overridden = !comparison.Passed };
    }
}
