using System.Globalization;
using Layercake.Build.Frosting;
using Layercake.Deployment.History;
using Layercake.Shared.Reporting;

namespace Layercake.Build.Tasks;

[TaskName("Versions")]
[TaskDescription("Prints --model's versions: created, primary metric, gates, and where each is deployed now and was before.")]
public sealed class VersionsTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var model = context.Spec.Name;
        var versions = await context.ReleaseRegistry.ListAsync(model, context.CancellationToken);
        var histories = new Dictionary<string, IReadOnlyList<DeploymentRecord>>();
        foreach (var environment in context.Spec.Environments)
        {
            histories[environment.Name] = await context.DeploymentHistory.ListAsync(model, environment.Name, context.CancellationToken);
        }

        string Where(string version, Func<DeploymentRecord, bool> state) =>
            string.Join(", ", histories.Where(h => h.Value.Any(r => r.Version == version && state(r))).Select(h => h.Key)) is { Length: > 0 } list ? list : "-";

        var table = MarkdownTable.Render(
            ["version", "created (UTC)", "trainer", "primary metric (mean ± std)", "gates", "live in", "was live in"],
            versions.Reverse().Select(v =>
            {
                var manifest = v.Manifest;
                var primary = manifest.PrimaryMetricSummary;
                var version = v.Version.ToString();
                return (IReadOnlyList<string>)
                [
                    version,
                    v.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    manifest.Trainer,
                    string.Create(CultureInfo.InvariantCulture, $"{manifest.PrimaryMetric} {primary.Mean:0.0000} ± {primary.StdDev:0.0000}"),
                    manifest.Gates.Count == 0 ? "none" : manifest.Gates.All(g => g.Passed) ? $"{manifest.Gates.Count} passed" : $"{manifest.Gates.Count(g => !g.Passed)} failed",
                    Where(version, r => r.State == DeploymentState.Success),
                    Where(version, r => r.State == DeploymentState.Inactive),
                ];
            }));
        ConsoleReport.Write(context, $"{model} in the {context.ReleaseRegistry.Description}:", versions.Count == 0 ? "no versions\n" : table);
        StepSummary.Append(context, $"### {model} versions\n\n{table}");
    }
}
