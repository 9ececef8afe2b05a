using System.Globalization;
using System.Net;
using System.Text;
using Layercake.Development.Experiments.Store;
using Layercake.Development.Reporting;
using Layercake.Shared.IO;

namespace Layercake.Development.Experiments.Comparison;

/// <summary>The compare report: the two runs, what changed, every metric's delta, and the primary metric over the pipeline's
/// runs.</summary>
internal static class CompareReportWriter
{
    public const string FileName = "compare.html";
    public const string ChartFile = "primary-metric.png";

    /// <summary>Writes the report into <paramref name="directory"/> (built aside and renamed into place); returns its path.</summary>
    public static async Task<string> WriteAsync(RunComparison comparison, IReadOnlyList<ExperimentRun> history, string directory,
        CancellationToken cancellationToken)
    {
        using var staging = new StagingDirectory(directory);
        RunHistoryPlot.Draw(history, comparison, staging.File(ChartFile));
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(comparison.New.Pipeline)}}: {{E(comparison.Title)}}</title>
            <style>{{ReportStyle.Css}}</style>
            </head><body>
            <h1>{{E(comparison.New.Pipeline)}}: {{E(comparison.Title)}}</h1>
            <table><tr><th></th><th>old</th><th>new</th></tr>
            """);
        Row(html, "run", comparison.Old.Id, comparison.New.Id);
        Row(html, "started (UTC)", comparison.Old.StartedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture),
            comparison.New.StartedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture));
        Row(html, "outcome", RunListing.Outcome(comparison.Old), RunListing.Outcome(comparison.New));
        HashRow(html, "commit", comparison.Old.GitCommit, comparison.Old.GitDirty, comparison.New.GitCommit, comparison.New.GitDirty);
        HashRow(html, "data sha256", comparison.Old.DataSha256, false, comparison.New.DataSha256, false);
        Row(html, "data rows", comparison.Old.DataRows?.ToString(CultureInfo.InvariantCulture) ?? "—",
            comparison.New.DataRows?.ToString(CultureInfo.InvariantCulture) ?? "—");
        Row(html, "winner", comparison.Old.Winner ?? "—", comparison.New.Winner ?? "—");
        Row(html, "version", comparison.Old.RegisteredVersion ?? "—", comparison.New.RegisteredVersion ?? "—");
        html.Append("</table>\n<h2>Parameters changed</h2>\n");
        Table(html, ["candidate", "parameter", "old", "new"],
            comparison.Parameters.Select(p => new[] { p.Candidate, p.Parameter, p.Old ?? "—", p.New ?? "—" }));
        html.Append("<h2>Pipeline keys changed</h2>\n");
        Table(html, ["key", "old", "new"], comparison.PipelineKeys.Select(k => new[] { k.Key, k.Old ?? "—", k.New ?? "—" }));
        html.Append("<h2>Metrics (mean ± std over folds)</h2>\n");
        Table(html, ["candidate", "metric", "old", "new", "change", ""], comparison.ShownMetrics.Select(m => new[]
        {
            m.Candidate, m.Metric,
            m.Old is { } o ? LeaderboardFormatter.MeanStd(o.Mean, o.StdDev) : "—",
            m.New is { } n ? LeaderboardFormatter.MeanStd(n.Mean, n.StdDev) : "—",
            m.Change is { } c ? Shared.Reporting.MetricText.Signed(c) : "—",
            m.Verdict,
        }));
        if (comparison.HiddenNote.Length > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{E(comparison.HiddenNote)}</p>\n");
        }

        html.Append(CultureInfo.InvariantCulture,
            $"<h2>Primary metric over the pipeline's runs</h2>\n<figure><img src=\"{ChartFile}\" alt=\"primary metric over " +
            $"runs\"><figcaption>The winner's primary metric per run, mean ± std over folds; the compared runs in orange, runs that " +
            $"failed a gate as ×.</figcaption></figure>\n</body></html>\n");
        await File.WriteAllTextAsync(staging.File(FileName), html.ToString(), cancellationToken).ConfigureAwait(false);
        staging.Commit();
        return Path.Combine(directory, FileName);
    }

    private static void Row(StringBuilder html, string name, string old, string @new) =>
        html.Append(CultureInfo.InvariantCulture,
            $"<tr><td>{E(name)}</td><td>{E(old)}</td><td{(old == @new ? "" : " class=\"warn\"")}>{E(@new)}</td></tr>\n");

    private static void Table(StringBuilder html, string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.ToArray();
        if (all.Length == 0)
        {
            html.Append("<p>None.</p>\n");
            return;
        }

        html.Append("<table><tr>").Append(string.Concat(header.Select(h => $"<th>{E(h)}</th>"))).Append("</tr>\n");
        foreach (var row in all)
        {
            html.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{E(c)}</td>"))).Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    /// <summary>
    /// A commit or a hash shortened to 12 characters with the full value in its title (a tooltip), so the table does not
    /// overflow sideways on 64 hexadecimal digits; the cell is marked when the two differ.
    /// </summary>
    private static void HashRow(StringBuilder html, string name, string? old, bool oldDirty, string? @new, bool newDirty)
    {
        static string Cell(string? hash, bool dirty, string attributes) => hash is null
            ? $"<td{attributes}>—</td>"
            : $"<td{attributes} title=\"{E(hash)}\"><code>{E(hash[..Math.Min(12, hash.Length)])}</code>{(dirty ? " (dirty)" : "")}</td>";

        var changed = old != @new || oldDirty != newDirty;
        html.Append(CultureInfo.InvariantCulture,
            $"<tr><td>{E(name)}</td>{Cell(old, oldDirty, "")}{Cell(@new, newDirty, changed ? " class=\"warn\"" : "")}</tr>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
