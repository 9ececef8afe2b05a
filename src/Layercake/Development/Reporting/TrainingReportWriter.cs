using System.Globalization;
using System.Net;
using System.Text;
using Layercake.Runtime.Manifest;
using Layercake.Development.Evaluation;
using Layercake.Development.Training;

namespace Layercake.Development.Reporting;

/// <summary>
/// <c>report.html</c> with its PNG charts: the leaderboard, the primary metric per fold, every metric's
/// mean ± std per candidate, and the gate verdicts. A static file, viewable anywhere, uploadable from CI.
/// </summary>
public static class TrainingReportWriter
{
    public const string FileName = "report.html";

    /// <summary>Writes the report and its charts into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(CrossValidationReport cv, GateReport gates, string directory)
    {
        var files = new List<string> { "folds.png" };
        TrainingPlots.Folds(cv, Path.Combine(directory, "folds.png"));
        foreach (var metric in cv.Candidates[0].Metrics.Keys)
        {
            var file = $"metric-{metric}.png";
            TrainingPlots.MeanWithSpread(cv, metric, Path.Combine(directory, file));
            files.Add(file);
        }

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(cv.Pipeline)}}: training report</title>
            <style>body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}.fail{color:#b00;font-weight:bold}.pass{color:#070}img{max-width:100%}</style>
            </head><body>
            <h1>{{E(cv.Pipeline)}}: training report</h1>
            <p>{{cv.Candidates.Count}} candidates, {{cv.Folds}}-fold cross-validation, seed {{cv.Seed}}. Primary metric <b>{{E(cv.PrimaryMetric)}}</b> ({{(cv.HigherIsBetter ? "higher" : "lower")}} is better). Chosen: <b>{{E(cv.Winner)}}</b>.</p>
            <h2>Leaderboard (mean ± std across folds)</h2>
            """);
        var metrics = cv.Candidates[0].Metrics.Keys.ToArray();
        html.Append("<table><tr><th>candidate</th>");
        foreach (var metric in metrics)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{E(metric)}</th>");
        }

        html.Append("</tr>");
        foreach (var candidate in cv.Ranked())
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(candidate.Name)}{(candidate.Name == cv.Winner ? " ★" : "")}</td>");
            foreach (var metric in metrics)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{LeaderboardFormatter.MeanStd(candidate.Metrics[metric].Mean, candidate.Metrics[metric].StdDev)}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>\n<h2>Gates</h2>\n");
        html.Append(gates.Outcomes.Count == 0 ? "<p>No gates are declared.</p>" : "<table><tr><th>gate</th><th>value</th><th>threshold</th><th>result</th></tr>");
        foreach (var outcome in gates.Outcomes)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(outcome.Metric)}</td><td>{LeaderboardFormatter.Number(outcome.Value)}</td><td>{E(outcome.Operator.Symbol())} {outcome.Threshold.ToString(CultureInfo.InvariantCulture)}</td><td class=\"{(outcome.Passed ? "pass" : "fail")}\">{(outcome.Passed ? "pass" : "FAIL")}</td></tr>");
        }

        html.Append(gates.Outcomes.Count == 0 ? "" : "</table>");
        html.Append("\n<h2>Charts</h2>\n");
        foreach (var file in files)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><img src=\"{file}\" alt=\"{E(file)}\"></p>\n");
        }

        html.Append("</body></html>\n");
        File.WriteAllText(Path.Combine(directory, FileName), html.ToString());
        files.Add(FileName);
        return files;
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
