using Layercake.Deployment.BillOfMaterials;
using Layercake.Deployment.History;
using Layercake.Management.Releases;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;

namespace Layercake.Management;

/// <summary>The Versions task: a model's released versions, with where each is live now and was live before.</summary>
/// <param name="localModels">The local registry's folder, where BuildImage leaves each version's bill of materials.</param>
public sealed class VersionsStage(IModelRegistry registry, IDeploymentHistory history, string? localModels = null)
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

        var lines = new List<VersionLine>();
        foreach (var v in versions.Reverse())
        {
            var version = v.Version.ToString();
            var sbom = localModels is null ? null : await BillOfMaterialsSummary.ReadAsync(
                Path.Combine(localModels, model, version, ImageBillOfMaterials.FileName), cancellationToken).ConfigureAwait(false);
            lines.Add(new VersionLine(
                version,
                v.CreatedAt,
                v.Manifest.Trainer,
                v.Manifest.PrimaryMetric,
                v.Manifest.PrimaryMetricSummary,
                Gates(v.Manifest),
                Where(version, DeploymentState.Success),
                Where(version, DeploymentState.Inactive),
                sbom));
        }

        return new VersionsReport(model, registry.Description, lines);
    }

    /// <summary>
    /// Every model: one report per pipeline in <paramref name="pipelinesFolder"/> (its name and its environments), in
    /// file order. A pipeline that cannot be read is named with the reason instead of failing the listing.
    /// </summary>
    public async Task<AllVersionsReport> RunAllAsync(string pipelinesFolder, CancellationToken cancellationToken)
    {
        var reports = new List<VersionsReport>();
        var unreadable = new List<string>();
        string[] files = Directory.Exists(pipelinesFolder)
            ? [.. Directory.GetFiles(pipelinesFolder, "*.yaml").Order(StringComparer.Ordinal)] : [];
        foreach (var file in files)
        {
            PipelineSpec spec;
            try
            {
                spec = await PipelineSpecLoader.LoadAsync(file, null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                unreadable.Add($"{Path.GetFileName(file)}: {ex.Message}");
                continue;
            }

            if (reports.All(r => r.Model != spec.Name))
            {
                reports.Add(await RunAsync(spec.Name, spec.Environments.Select(e => e.Name).ToArray(), cancellationToken)
                    .ConfigureAwait(false));
            }
        }

        return new AllVersionsReport(reports, unreadable);
    }

    private static string Gates(ModelManifest manifest) =>
        manifest.Gates.Count == 0 ? "none"
        : manifest.Gates.All(g => g.Passed) ? $"{manifest.Gates.Count} passed"
        : $"{manifest.Gates.Count(g => !g.Passed)} failed";
}
