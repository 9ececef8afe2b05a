using System.Globalization;
using System.Net;
using System.Text;
using Layercake.Development.Evaluation;
using Layercake.Development.Metrics;
using Layercake.Development.Training;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Development.Reporting;

/// <summary>
/// <c>report.html</c> with its PNG charts: the leaderboard with the baseline and each candidate's lift, the gate
/// verdicts, the winner's per-class figures, confusion matrix, calibration and importance, Prepare's data
/// warnings, and the charts. A static file, viewable anywhere, uploadable from CI.
/// </summary>
internal static class TrainingReportWriter
{
    public const string FileName = "report.html";

    /// <summary>Writes the report and its charts into <paramref name="directory"/>; returns the files written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        CrossValidationReport cv, GateReport gates, string directory, string? trainFolder, IReadOnlyList<string> dataWarnings,
            CancellationToken cancellationToken)
    {
        var charts = await TrainingReportCharts.DrawAsync(cv, directory, trainFolder, cancellationToken).ConfigureAwait(false);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(cv.Pipeline)}}: training report</title>
            <style>{{ReportStyle.Css}}</style>
            </head><body>
            <h1>{{E(cv.Pipeline)}}: training report</h1>
            <p>{{cv.Candidates.Count}} candidates and a baseline ({{E(cv.BaselineDescription ?? "none")}}),
            {{cv.Folds}}-fold cross-validation on the same folds, seed {{cv.Seed}}.
            Primary metric <b>{{E(cv.PrimaryMetric)}}</b> ({{(cv.HigherIsBetter ? "higher" : "lower")}} is better).
            Chosen: <b>{{E(cv.Winner)}}</b>.</p>
            """);
        if (dataWarnings.Count > 0)
        {
            html.Append("<h2>Data warnings</h2><ul>");
            foreach (var warning in dataWarnings) html.Append(CultureInfo.InvariantCulture, $"<li class=\"warn\">{E(warning)}</li>");
            html.Append("</ul>\n");
        }

        Leaderboard(html, cv);
        SearchReportSection.Write(html, cv);
        Gates(html, gates);
        if (cv.WinnerResult.Diagnostics is { } d) PerClass(html, cv, d);
        Importance(html, cv);
        html.Append("<h2>Charts</h2>\n");
        foreach (var (file, caption) in charts)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<figure><img src=\"{file}\" alt=\"{E(caption)}\"><figcaption>{E(caption)}</figcaption></figure>\n");
        }

        html.Append("</body></html>\n");
        await File.WriteAllTextAsync(Path.Combine(directory, FileName), html.ToString(), cancellationToken).ConfigureAwait(false);
        return charts.Select(c => c.File).Append(FileName).ToArray();
    }

    private static void PerClass(StringBuilder html, CrossValidationReport cv, ClassificationDiagnostics d)
    {
        html.Append(CultureInfo.InvariantCulture,
            $"<h2>Per class: {E(cv.Winner)} (out-of-fold, mean ± std over " +
            $"folds)</h2>\n<table><tr><th>class</th><th>rows</th><th>precision</th><th>recall</th><th>f1</th></tr>");
        foreach (var c in d.PerClass)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(c.Class)}{(c == d.Weakest ? " (weakest)" : "")}</td><td>{c.Support}</td><td>{MeanStd(c.Precision)}</td><td>" +
                $"{MeanStd(c.Recall)}</td><td>{MeanStd(c.F1)}</td></tr>");
        }

        html.Append("</table>\n<h3>Confusion matrix (rows actual, columns predicted)</h3>\n<table><tr><th></th>");
        foreach (var c in cv.Classes) html.Append(CultureInfo.InvariantCulture, $"<th>{E(c)}</th>");
        html.Append("</tr>");
        for (var a = 0; a < cv.Classes.Count; a++)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(cv.Classes[a])}</td>{string.Concat(d.Confusion[a].Select(n => $"<td>{n}</td>"))}</tr>");
        }

        html.Append(CultureInfo.InvariantCulture,
            $"</table>\n<p>Expected calibration error ({E(d.Calibration.Reads)}): <b>" +
            $"{LeaderboardFormatter.Number(d.Calibration.ExpectedCalibrationError)}</b> — " +
            $"{(d.Calibration.IsWellCalibrated ? "well calibrated" : "not well calibrated: its probabilities are not frequencies")}" +
            $".</p>\n");
    }

    private static void Importance(StringBuilder html, CrossValidationReport cv)
    {
        if (cv.Importance.Count == 0) return;
        html.Append(CultureInfo.InvariantCulture,
            $"<h2>Permutation importance: {E(cv.Winner)}</h2>\n<table><tr><th>column</th><th>kind</th><th>drop in {E(cv.PrimaryMetric)}" +
            $"</th></tr>");
        foreach (var i in cv.Importance) html.Append(CultureInfo.InvariantCulture,
            $"<tr><td>{E(i.Column)}</td><td>{E(i.Kind)}</td><td>{MeanStd(i.Drop)}</td></tr>");
        html.Append("</table>\n");
    }

    private static void Leaderboard(StringBuilder html, CrossValidationReport cv)
    {
        var metrics = cv.Candidates[0].Metrics.Keys.ToArray();
        html.Append("<h2>Leaderboard (mean ± std across folds)</h2>\n");
        if (SearchTables.Any(cv)) html.Append(CultureInfo.InvariantCulture, $"<p>{E(SearchTables.Note(cv))}</p>\n");
        html.Append("<table><tr><th>candidate</th>");
        foreach (var metric in metrics) html.Append(CultureInfo.InvariantCulture, $"<th>{E(metric)}</th>");
        html.Append(CultureInfo.InvariantCulture, $"<th>lift over baseline ({E(cv.PrimaryMetric)})</th></tr>");
        foreach (var c in cv.Ranked().Concat(cv.Baseline is { } b ? [b] : Array.Empty<CandidateResult>()))
        {
            var isBaseline = c == cv.Baseline;
            html.Append(CultureInfo.InvariantCulture,
                $"<tr{(isBaseline ? " class=\"baseline\"" : "")}><td>{E(isBaseline ? $"baseline ({cv.BaselineDescription})" : c.Name)}" +
                $"{(c.Name == cv.Winner && !isBaseline ? " ★" : "")}</td>");
            foreach (var metric in metrics) html.Append(CultureInfo.InvariantCulture,
                $"<td>{(c.Metrics.TryGetValue(metric, out var s) ? MeanStd(s) : "")}</td>");
            html.Append(CultureInfo.InvariantCulture,
                $"<td>{(c.Lift is { } lift ? (lift >= 0 ? "+" : "") + LeaderboardFormatter.Number(lift) : "")}</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static void Gates(StringBuilder html, GateReport gates)
    {
        html.Append("<h2>Gates</h2>\n");
        if (gates.Outcomes.Count == 0)
        {
            html.Append("<p>No gates are declared.</p>\n");
            return;
        }

        html.Append("<table><tr><th>gate</th><th>value</th><th>threshold</th><th>result</th></tr>");
        foreach (var o in gates.Outcomes)
        {
            var name = o.Baseline is { } baseline ? $"{o.Metric} vs baseline {LeaderboardFormatter.Number(baseline)}" : o.Metric;
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(name)}</td><td>{LeaderboardFormatter.Number(o.Value)}</td><td>{E(o.Operator.Symbol())} " +
                    $"{LeaderboardFormatter.Number(o.Threshold)}</td><td class=\"{(o.Passed ? "pass" : "fail")}\">" +
                    $"{(o.Passed ? "pass" : "FAIL")}</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static string MeanStd(MetricSummary s) => LeaderboardFormatter.MeanStd(s.Mean, s.StdDev);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
