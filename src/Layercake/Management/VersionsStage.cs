using Layercake.Deployment.History;
using Layercake.Management.Releases;
using Layercake.Runtime.Manifest;

namespace Layercake.Management;

/// <summary>The Versions task: a model's released versions, with where each is live now and was live before.</summary>
public sealed class VersionsStage(IModelRegistry registry, IDeploymentHistory history)
{
    /// <param name="environments">The environments the pipeline declares, whose histories say where each version ran.</param>
    public async Task<VersionsReport> RunAsync(string model, IReadOnlyList<string> environments, CancellationToken cancellationToken)
    {
        var versions = await registry.ListAsync(model, cancellationToken).ConfigureAwait(false);
        var histories = new Dictionary<string, IReadOnlyList<DeploymentRecord>>();
        foreach (var environment in environments)
        {
            histories[environment] = await history.ListAsync(model, environment, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<string> Where(string version, DeploymentState state) =>
            histories.Where(h => h.Value.Any(r => r.Version == version && r.State == state)).Select(h => h.Key).ToArray();

        var lines = versions.Reverse().Select(v =>
        {
            var version = v.Version.ToString();
            return new VersionLine(
                version,
                v.CreatedAt,
                v.Manifest.Trainer,
                v.Manifest.PrimaryMetric,
                v.Manifest.PrimaryMetricSummary,
                Gates(v.Manifest),
                Where(version, DeploymentState.Success),
                Where(version, DeploymentState.Inactive));
        }).ToArray();
        return new VersionsReport(model, registry.Description, lines);
    }

    private static string Gates(ModelManifest manifest) =>
        manifest.Gates.Count == 0 ? "none"
        : manifest.Gates.All(g => g.Passed) ? $"{manifest.Gates.Count} passed"
        : $"{manifest.Gates.Count(g => !g.Passed)} failed";
}
