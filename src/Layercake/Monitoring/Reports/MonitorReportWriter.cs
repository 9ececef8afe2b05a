using System.Globalization;
using System.Net;
using System.Text;
using Layercake.Monitoring.Drift;
using Layercake.Monitoring.Estimation;
using Layercake.Monitoring.Quality;
using Layercake.Shared.IO;
using Layercake.Shared.Reporting;

namespace Layercake.Monitoring.Reports;

/// <summary>
/// Writes a <see cref="MonitorReport"/> as <c>monitor.json</c>, <c>summary.md</c> (the GitHub job summary) and
/// <c>report.html</c> with its PNG charts, into a folder built aside and renamed into place.
/// </summary>
internal static class MonitorReportWriter
{
    public const string JsonFile = "monitor.json";
    public const string MarkdownFile = "summary.md";
    public const string HtmlFile = "report.html";

    public static async Task<IReadOnlyList<string>> WriteAsync(MonitorReport report, string directory, CancellationToken cancellationToken)
    {
        using var staging = new StagingDirectory(directory);
        var charts = Charts(report, staging.Root);
        await File.WriteAllTextAsync(staging.File(JsonFile), PackageJson.Serialize(report), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(staging.File(MarkdownFile), Markdown(report), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(staging.File(HtmlFile), Html(report, charts), cancellationToken).ConfigureAwait(false);
        staging.Commit();
        return charts.Select(c => c.File).Prepend(HtmlFile).Prepend(MarkdownFile).Prepend(JsonFile).ToArray();
    }

    /// <summary>The drift table: column, test, its p-value (KS, chi-square) or distance (Wasserstein, Jensen-Shannon, PSI), threshold,
    /// drifted, PSI, rows, and what moved.</summary>
    public static string Table(MonitorReport report) =>
        report.Estimated is { } estimated ? DriftTable(report) + "\n" + EstimatedPerformanceText.Markdown(estimated) : DriftTable(report);

    private static string DriftTable(MonitorReport report)
    {
        var rows = report.Columns.Append(report.PredictionDrift).OfType<ColumnDrift>().Select(c => (IReadOnlyList<string>)
        [
            c.Column, c.Test, Number(c.Statistic), (c.Test is "ks" or "chisquare" ? "p < " : "≥ ") + Number(c.Threshold), c.Drifted
                ? "**yes**" : "no", Number(c.Psi),
            c.CurrentRows.ToString(CultureInfo.InvariantCulture), c.Detail,
        ]);
        return MarkdownTable.Render(["column", "test", "p-value or distance", "drift at", "drifted", "psi", "rows", "detail"], rows,
            new HashSet<int> { 2, 5, 6 });
    }

    public static string Markdown(MonitorReport report)
    {
        var text = new StringBuilder();
        AppendHeadline(text, report);
        var d = report.DatasetDrift;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Dataset drift: {(d.Drifted ? "**yes**" : "no")} ({d.DriftedColumns} of {d.Columns} columns drifted; "
            + $"threshold share {Number(d.Threshold)}).");
        text.AppendLine();
        text.Append(DriftTable(report));
        AppendQuality(text, report);
        AppendRejected(text, report);
        if (report.Estimated is { } estimated)
        {
            text.Append(EstimatedPerformanceText.Markdown(estimated));
            text.AppendLine();
        }

        AppendLiveQuality(text, report.Live);
        foreach (var note in report.NotChecked)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- not checked: {note}");
        }

        return text.ToString();
    }

    /// <summary>The title with the verdict, what the logs held, and the breaches, one a line.</summary>
    private static void AppendHeadline(StringBuilder text, MonitorReport report)
    {
        text.AppendLine(CultureInfo.InvariantCulture,
            $"## Monitoring {report.Model} {report.Version}: {(report.Healthy ? "healthy" : "BREACH")}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{report.Log.Rows:N0} predictions in {report.Log.Requests:N0} requests ({report.Log.Rejected:N0} requests with "
            + $"{report.Log.RejectedRows:N0} rows rejected) from {Time(report.From)} to {Time(report.Until)}, "
            + $"{report.Windows.Count} window(s) of {report.Window}, {report.Log.Files} log file(s).");
        text.AppendLine();
        foreach (var breach in report.Breaches)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- :x: {breach}");
        }

        if (report.Breaches.Count > 0)
        {
            text.AppendLine();
        }
    }

    /// <summary>The data quality checks over their limits, or a line saying there are none.</summary>
    private static void AppendQuality(StringBuilder text, MonitorReport report)
    {
        var breached = report.Quality.Where(q => q.Breached).ToArray();
        text.AppendLine();
        text.AppendLine(breached.Length == 0 ? "Data quality: every rate within its limit." : "Data quality:");
        text.AppendLine();
        if (breached.Length > 0)
        {
            var rows = breached.Select(q => (IReadOnlyList<string>)[q.Check, q.Column, Number(q.Value), Number(q.Limit)]);
            text.Append(MarkdownTable.Render(["check", "column", "rate", "limit"], rows, new HashSet<int> { 2, 3 }));
            text.AppendLine();
        }
    }

    /// <summary>The rows the server refused, by reason, when there were any.</summary>
    private static void AppendRejected(StringBuilder text, MonitorReport report)
    {
        if (report.Log.RejectedRows <= 0)
        {
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"Rejected: {report.Log.RejectedRows:N0} rows in {report.Log.Rejected:N0} requests, by reason:");
        text.AppendLine();
        var offered = report.Log.Rows + report.Log.RejectedRows;
        var rows = report.Log.RejectedRowsByReason.Select(r => (IReadOnlyList<string>)
            [r.Key, r.Value.ToString("N0", CultureInfo.InvariantCulture), Number((double)r.Value / offered)]);
        text.Append(MarkdownTable.Render(["reason", "rows", "share of rows"], rows, new HashSet<int> { 1, 2 }));
        text.AppendLine();
    }

    /// <summary>Production metrics on the feedback labels beside cross-validation and the gate, or why there are none.</summary>
    private static void AppendLiveQuality(StringBuilder text, LiveQuality? live)
    {
        if (live is null)
        {
            text.AppendLine("Live quality: no feedback labels given (a CSV of request_id,label).");
            text.AppendLine();
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"Live quality on {live.LabelledRows:N0} labelled rows "
            + $"({live.UnmatchedFeedback:N0} feedback rows matched no logged prediction):");
        text.AppendLine();
        var rows = live.Metrics.Select(m => (IReadOnlyList<string>)
        [
            m.Metric, Number(m.Value), m.CvMean is { } mean ? $"{Number(mean)} ± {Number(m.CvStdDev ?? 0)}" : "-", m.Gate ?? "-",
            m.Passed is null ? "-"
                : live.LabelledRows < live.MinimumRows ? $"({(m.Passed.Value ? "yes" : "no")}; under {live.MinimumRows} rows)"
                : m.Passed.Value ? "yes" : "**no**",
        ]);
        text.Append(MarkdownTable.Render(["metric", "production", "cross-validated", "gate", "passed"], rows, new HashSet<int> { 1 }));
        text.AppendLine();
    }

    private static List<(string File, string Caption)> Charts(MonitorReport report, string directory)
    {
        var charts = new List<(string, string)>();
        foreach (var column in report.Columns.Append(report.PredictionDrift).OfType<ColumnDrift>())
        {
            var slug = Slug(column.Column);
            MonitorPlots.Histogram(column, Path.Combine(directory, $"histogram-{slug}.png"));
            charts.Add(($"histogram-{slug}.png", $"{column.Column}: training and production"));
            Func<WindowSummary, WindowColumn?> select = ReferenceEquals(column, report.PredictionDrift) ? w => w.Prediction
                : w => w.Columns.GetValueOrDefault(column.Column);
            MonitorPlots.DriftOverTime(column, report.Windows, select, Path.Combine(directory, $"drift-{slug}.png"));
            charts.Add(($"drift-{slug}.png", $"{column.Column}: {column.Test} per window"));
        }

        foreach (var metric in report.Live?.Metrics ?? [])
        {
            var gate = metric.Gate is { } text ? new MonitorPlots.GateLine(GateThreshold(text), text) : (MonitorPlots.GateLine?)null;
            MonitorPlots.LiveOverTime(metric, report.Windows, gate, Path.Combine(directory, $"live-{metric.Metric}.png"));
            charts.Add(($"live-{metric.Metric}.png", $"{metric.Metric} per window"));
        }

        foreach (var metric in report.Estimated?.Metrics ?? [])
        {
            var gate = metric.Gate is { } text ? new MonitorPlots.GateLine(GateThreshold(text), text) : (MonitorPlots.GateLine?)null;
            MonitorPlots.EstimatedOverTime(metric.Metric, report.Estimated!.Trustworthy, report.Windows, gate,
                Path.Combine(directory, $"estimated-{metric.Metric}.png"));
            charts.Add(
                ($"estimated-{metric.Metric}.png",
                $"{metric.Metric}: estimated (CBPE) against realised per window" +
                $"{(report.Estimated.Trustworthy ? "" : " (CBPE NOT TRUSTWORTHY for this model)")}"));
        }

        return charts;
    }

    private static double GateThreshold(string gate) =>
        double.TryParse(gate.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], NumberStyles.Float, CultureInfo.InvariantCulture,
            out var value) ? value : double.NaN;

    private static string Html(MonitorReport report, IReadOnlyList<(string File, string Caption)> charts)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(report.Model)}} {{E(report.Version)}}: monitoring</title>
            <style>body{font-family:sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;color:#222}
            table{border-collapse:collapse;display:block;max-width:100%;overflow-x:auto}td,th{border:1px solid #ccc;padding:4px 8px}
            td:not(:first-child),th{white-space:nowrap}.bad{color:#b00;font-weight:bold}.good{color:#070}img{max-width:100%}
            figure{margin:1em 0}</style>
            </head><body>
            <h1>{{E(report.Model)}} {{E(report.Version)}}: monitoring</h1>
            <p class="{{(report.Healthy ? "good" : "bad")}}">{{(report.Healthy ? "Healthy" : "Breach")}}</p>
            <p>{{report.Log.Rows:N0}} predictions in {{report.Log.Requests:N0}} requests
            ({{report.Log.Rejected:N0}} requests with {{report.Log.RejectedRows:N0}} rows rejected),
            {{E(Time(report.From))}} to {{E(Time(report.Until))}}, windows of {{E(report.Window)}}.
            Generated {{E(Time(report.Generated))}}.</p>
            """);
        if (report.Breaches.Count > 0)
        {
            html.Append("<ul>");
            foreach (var breach in report.Breaches)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li class=\"bad\">{E(breach)}</li>");
            }

            html.Append("</ul>\n");
        }

        DriftAndQualityTables(html, report);
        if (report.Estimated is { } estimated)
        {
            html.Append(EstimatedPerformanceText.Html(estimated));
        }

        html.Append("<h2>Charts</h2>\n");
        foreach (var (file, caption) in charts)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<figure><img src=\"{file}\" alt=\"{E(caption)}\"><figcaption>{E(caption)}</figcaption></figure>\n");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void DriftAndQualityTables(StringBuilder html, MonitorReport report)
    {
        html.Append(
            "<h2>Drift</h2>\n<table><tr><th>column</th><th>test</th><th>statistic</th><th>drift " +
            "at</th><th>drifted</th><th>psi</th><th>rows</th><th>detail</th></tr>");
        foreach (var c in report.Columns.Append(report.PredictionDrift).OfType<ColumnDrift>())
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(c.Column)}</td><td>{E(c.Test)}</td><td>{Number(c.Statistic)}</td><td>" +
                    $"{(c.Test is "ks" or "chisquare" ? "p &lt; " : "≥ ")}{Number(c.Threshold)}</td><td class=\"" +
                    $"{(c.Drifted ? "bad" : "good")}\">{(c.Drifted ? "yes" : "no")}</td><td>{Number(c.Psi)}</td><td>{c.CurrentRows:N0}" +
                    $"</td><td>{E(c.Detail)}</td></tr>");
        }

        html.Append("</table>\n<h2>Data quality</h2>\n<table><tr><th>check</th><th>column</th><th>rate</th><th>limit</th></tr>");
        foreach (var q in report.Quality)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(q.Check)}</td><td>{E(q.Column)}</td><td class=\"{(q.Breached ? "bad" : "good")}\">{Number(q.Value)}</td><td>" +
                $"{Number(q.Limit)}</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static string Slug(string name)
    {
        var slug = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        return slug.Length == 0 ? "column" : slug;
    }

    private static string Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
        ?? "-";

    private static string Number(double value) => double.IsNaN(value) ? "-" : double.IsPositiveInfinity(value) ? "∞"
        : Layercake.Shared.Reporting.MetricText.Short(value);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
