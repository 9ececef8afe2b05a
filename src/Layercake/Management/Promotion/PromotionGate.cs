using Layercake.Deployment.History;
using Layercake.Pipelines.Gates;
using Layercake.Registry;
using Layercake.Management.Releases;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;

namespace Layercake.Management.Promotion;

/// <summary>
/// What a release manager's Promote checks before anything is deployed: the version is in the registry and
/// intact, its own gates passed when it was trained, and it is no worse than the champion (the version live in
/// the environment now) by more than the pipeline's <c>gates.champion</c> allows.
/// </summary>
internal sealed class PromotionGate(IModelRegistry registry, IDeploymentHistory history)
{
    public async Task<PromotionDecision> DecideAsync(string model, SemanticVersion version, string environment, ChampionGate gate, CancellationToken cancellationToken)
    {
        var candidate = await registry.FetchAsync(model, version, cancellationToken).ConfigureAwait(false);
        var failed = candidate.Manifest.Gates.Where(g => !g.Passed).Select(g => g.Gate).ToList();
        if (failed.Count > 0)
        {
            throw new PromotionRefusedException($"{model} {version} failed its gates when it was trained ({string.Join(", ", failed)}); it cannot be promoted.");
        }

        var live = await LiveDeployment.FindAsync(history, model, environment, cancellationToken).ConfigureAwait(false);
        ModelManifest? champion = null;
        if (live is not null && live.Version != version.ToString())
        {
            champion = (await registry.ListAsync(model, cancellationToken).ConfigureAwait(false)).FirstOrDefault(v => v.Version.ToString() == live.Version)?.Manifest
                ?? throw new PromotionRefusedException($"{model} {live.Version} is live in '{environment}' but not in the {registry.Description}, so the challenger cannot be compared with it.");
        }

        var comparison = ChampionChallengerGate.Evaluate(candidate.Manifest, champion, gate);
        if (!comparison.Passed)
        {
            throw new PromotionRefusedException($"{model} {version} may not replace {live!.Version} in '{environment}': {comparison.Describe()}.");
        }

        return new PromotionDecision(candidate, live?.Version, comparison);
    }
}
