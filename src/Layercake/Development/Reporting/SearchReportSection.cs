using System.Globalization;
using System.Net;
using System.Text;
using Layercake.Development.Training;
using Layercake.Development.Training.Search;

namespace Layercake.Development.Reporting;

/// <summary>
/// The training report's hyper-parameter search: per searched candidate, what was chosen, the inner best against
/// the outer (nested) score, and every trial sorted by score.
/// </summary>
internal static class SearchReportSection
{
    public static void Write(StringBuilder html, CrossValidationReport cv)
    {
        if (!SearchTables.Any(cv))
        {
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>Hyper-parameter search</h2>\n<p>{E(SearchTables.Note(cv))}</p>\n");
        foreach (var candidate in cv.Ranked().Where(c => c.Search is not null))
        {
            var s = candidate.Search!;
            var outer = candidate.Metrics[cv.PrimaryMetric].Mean;
            html.Append(CultureInfo.InvariantCulture,
                $"<h3>{E(candidate.Name)}: {E(s.Strategy)}, {SearchTables.Points(s)} of {s.Planned} trials (" +
                    $"{E(SearchTables.Stop(s.Stop))})</h3>\n" +
                $"<p>Chosen for the final model (best mean over the holdouts): <b>" +
                    $"{E(HyperparameterSearch.Describe(candidate.Parameters))}</b> (trial {s.BestTrial}). " +
                $"Inner best {E(cv.PrimaryMetric)} {LeaderboardFormatter.Number(s.InnerBest)}; outer (nested) " +
                    $"{LeaderboardFormatter.Number(outer)}. " +
                $"Validation: {E(s.Validation)}.</p>\n<table><tr><th>trial</th><th>rows</th>");
            foreach (var name in s.Searched) html.Append(CultureInfo.InvariantCulture, $"<th>{E(name)}</th>");
            html.Append(CultureInfo.InvariantCulture, $"<th>inner {E(cv.PrimaryMetric)} (mean of splits)</th><th>seconds</th></tr>");
            foreach (var trial in SearchTables.Ranked(s.Trials, cv.HigherIsBetter))
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{trial.Trial}{(trial.Trial == s.BestTrial && trial.Share >= 1 ? " ★" : "")}</td><td>" +
                    $"{HyperparameterSearch.ShareText(trial.Share)}</td>");
                foreach (var name in s.Searched) html.Append(CultureInfo.InvariantCulture,
                    $"<td>{trial.Parameters[name].ToString("G4", CultureInfo.InvariantCulture)}</td>");
                var score = double.IsFinite(trial.Score) ? LeaderboardFormatter.Number(trial.Score)
                    : $"<span class=\"fail\">failed: {E(trial.Error ?? "no score")}</span>";
                html.Append(CultureInfo.InvariantCulture, $"<td>{score}</td><td>{trial.Seconds:F1}</td></tr>");
            }

            html.Append("</table>\n");
        }
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
