using System.Globalization;
using System.Net;
using System.Text;
using Layercake.Shared.IO;
using Layercake.Shared.Reporting;

namespace Layercake.Deployment.Rollouts;

/// <summary>
/// A concluded rollout's report (<c>artifacts/rollouts/&lt;model&gt;/&lt;environment&gt;/</c>): <c>rollout.json</c> (the
/// journal), <c>report.html</c> with its per-step charts, and the table the console shows; built in a folder aside and
/// renamed into place, so a reader never sees half a report.
/// </summary>
internal static class RolloutReportWriter
{
    public const string JsonFile = "rollout.json";
    public const string HtmlFile = "report.html";

    private const string Style = "body{font-family:sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;color:#222}" +
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}.bad{color:#b00;font-weight:bold}.good{color:#070}" +
        "img{max-width:100%}";

    private static readonly string[] Header = ["step", "weight", "share", "check", "result", "measured", "limit"];

    public static string FolderFor(string artifactsRoot, string model, string environment) =>
        Path.Combine(artifactsRoot, "rollouts", model, environment);

    public static async Task WriteAsync(RolloutJournal journal, string directory, CancellationToken cancellationToken)
    {
        using var staging = new StagingDirectory(directory);
        var charts = new List<(string File, string Caption)>();
        if (journal.Steps.Count > 0)
        {
            RolloutPlots.Split(journal, staging.File("split.png"));
            charts.Add(("split.png", "the new version's share of requests against the declared weight, step by step"));
            RolloutPlots.Requests(journal, staging.File("requests.png"));
            charts.Add(("requests.png", "requests each version answered in each step's analysis window"));
        }

        await File.WriteAllTextAsync(staging.File(JsonFile), PackageJson.Serialize(journal), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(staging.File(HtmlFile), Html(journal, charts), cancellationToken).ConfigureAwait(false);
        staging.Commit();
    }

    /// <summary>Every step and every check, one row each: what the console shows when a rollout concludes.</summary>
    public static string Table(RolloutJournal journal)
    {
        var rows = Rows(journal).Select(r => (IReadOnlyList<string>)[r.Step, r.Weight, r.Share, r.Check, r.Outcome, r.Measured, r.Limit]);
        var title = $"{journal.Strategy} of {journal.Model} {journal.CanaryVersion} in '{journal.Environment}' " +
            $"(live: {journal.StableVersion}): {journal.State}";
        return $"{title}\n{journal.Reason}\n\n" + MarkdownTable.Render(Header, rows);
    }

    private static IEnumerable<(string Step, string Weight, string Share, string Check, string Outcome, string Measured, string Limit)>
        Rows(RolloutJournal journal) =>
        journal.Steps.SelectMany((step, i) => step.Checks.Select(check => (
            (i + 1).ToString(CultureInfo.InvariantCulture),
            $"{step.Weight} %",
            $"{step.CanaryShare.ToString("0.0", CultureInfo.InvariantCulture)} %",
            check.Name,
            check.Verdict,
            check.Measured,
            check.Limit)));

    private static string Html(RolloutJournal journal, IReadOnlyList<(string File, string Caption)> charts)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var html = new StringBuilder();
        var good = journal.State is RolloutJournal.Promoted or RolloutJournal.Shadowed && journal.Steps.All(s => s.Passed);
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <title>{{E(journal.Model)}} {{E(journal.CanaryVersion)}}: {{E(journal.Strategy)}}</title>
            <style>{{Style}}</style>
            </head><body>
            <h1>{{E(journal.Model)}} {{E(journal.CanaryVersion)}}: {{E(journal.Strategy)}} in {{E(journal.Environment)}}</h1>
            <p class="{{(good ? "good" : "bad")}}">{{E(journal.State)}}: {{E(journal.Reason)}}</p>
            <p>Live before: {{E(journal.StableVersion)}}.
            Started {{E(Time(journal.Started))}}, last updated {{E(Time(journal.Updated))}}.</p>
            <h2>Steps and checks</h2>
            <table><tr><th>step</th><th>weight</th><th>share</th><th>check</th><th>result</th><th>measured</th><th>limit</th></tr>
            """);
        foreach (var row in Rows(journal))
        {
            var css = row.Outcome == "passed" ? "good" : "bad";
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{row.Step}</td><td>{E(row.Weight)}</td><td>{E(row.Share)}</td><td>{E(row.Check)}</td>" +
                $"<td class=\"{css}\">{row.Outcome}</td><td>{E(row.Measured)}</td><td>{E(row.Limit)}</td></tr>\n");
        }

        html.Append("</table>\n<h2>Charts</h2>\n");
        foreach (var (file, caption) in charts)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<figure><img src=\"{file}\" alt=\"{E(caption)}\"><figcaption>{E(caption)}</figcaption></figure>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }

    private static string Time(DateTimeOffset time) => time.ToString("u", CultureInfo.InvariantCulture);
}
