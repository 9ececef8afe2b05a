using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Shared.Reporting;

namespace Layercake.Management.Releases;

/// <summary>
/// The body of a model version's release: a model card built from <c>manifest.json</c> alone (metrics across
/// folds, gates, lineage), plus a hidden marker with the manifest's sha256, which is how a later publish
/// tells "the same version again" from "a different model under the same version".
/// </summary>
internal static partial class ReleaseNotes
{
    public static string Write(ModelManifest manifest, string manifestSha256)
    {
        var notes = new StringBuilder();
        notes.AppendLine(CultureInfo.InvariantCulture, $"## {manifest.Pipeline} {manifest.Version}");
        notes.AppendLine();
        ModelCardSections.Facts(notes, manifest, manifest.Trainer);
        notes.AppendLine();
        CrossValidatedMetrics(notes, manifest);
        ModelCardSections.Evaluation(notes, manifest, "### Against the baseline");
        notes.AppendLine("### Gates");
        notes.AppendLine();
        if (manifest.Gates.Count == 0)
        {
            notes.AppendLine("No gates were declared.");
            notes.AppendLine();
        }
        else
        {
            notes.AppendLine(
                MarkdownTable.Render(["gate", "metric", "threshold", "value", "result"], manifest.Gates.Select(g => (IReadOnlyList<string>)
            [
                g.Gate, g.Metric, $"{g.Operator.Symbol()} {MetricText.Number(g.Threshold)}", MetricText.Number(g.Value), g.Passed ? "passed"
                    : "**failed**",
            ])));
        }

        notes.AppendLine("### Lineage");
        notes.AppendLine();
        ModelCardSections.Lineage(notes, manifest);
        notes.AppendLine(CultureInfo.InvariantCulture,
            $"- Parity: ONNX Runtime and ML.NET agreed on {manifest.Parity.RowsCompared} rows within {manifest.Parity.ToleranceKind} " +
            $"tolerance {manifest.Parity.Tolerance.ToString("E0", CultureInfo.InvariantCulture)}: " +
            $"{(manifest.Parity.Passed ? "passed" : "failed")}");
        notes.AppendLine();
        notes.AppendLine("The assets are the package: `manifest.json` lists the sha256 of every other file.");
        notes.AppendLine();
        notes.AppendLine(Marker(manifestSha256));
        return notes.ToString();
    }

    private static void CrossValidatedMetrics(StringBuilder notes, ModelManifest manifest)
    {
        notes.AppendLine("### Cross-validated metrics");
        notes.AppendLine();
        if (manifest.CrossValidation.TryGetValue(manifest.Trainer, out var metrics) && metrics.Count > 0)
        {
            var rows = metrics.OrderBy(m => m.Key == manifest.PrimaryMetric ? 0 : 1).ThenBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => (IReadOnlyList<string>)
            [
                m.Key == manifest.PrimaryMetric ? $"**{m.Key}** (primary)" : m.Key,
                MetricText.MeanStd(m.Value.Mean, m.Value.StdDev),
                string.Join(", ", m.Value.Folds.Select(MetricText.Number)),
            ]);
            notes.AppendLine(MarkdownTable.Render(["metric", "mean ± std", "folds"], rows));
        }
        else
        {
            notes.AppendLine("No cross-validation results in the manifest.");
            notes.AppendLine();
        }

        if (manifest.CrossValidation.Count > 1)
        {
            var candidates = manifest.CrossValidation
                .Where(c => c.Value.ContainsKey(manifest.PrimaryMetric))
                .Select(c =>
                    (IReadOnlyList<string>)[c.Key == manifest.Trainer ? $"**{c.Key}** (chosen)" : c.Key,
                    MetricText.MeanStd(c.Value[manifest.PrimaryMetric].Mean, c.Value[manifest.PrimaryMetric].StdDev)]);
            notes.AppendLine(CultureInfo.InvariantCulture, $"Candidates by {manifest.PrimaryMetric}:");
            notes.AppendLine();
            notes.AppendLine(MarkdownTable.Render(["trainer", manifest.PrimaryMetric], candidates));
        }
    }

    public static string Marker(string manifestSha256) => $"<!-- layercake:manifest-sha256:{manifestSha256} -->";

    /// <summary>The manifest sha256 a release body was written for, or null when the body has no marker (a release not made by
    /// Layercake).</summary>
    public static string? ManifestSha256(string? body)
    {
        var match = body is null ? null : MarkerPattern().Match(body);
        return match is { Success: true } ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("<!-- layercake:manifest-sha256:([0-9a-f]{64}) -->")]
    private static partial Regex MarkerPattern();
}
