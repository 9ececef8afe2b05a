using System.Globalization;
using System.Net;
using System.Text;
using Layercake.Shared.Reporting;

namespace Layercake.Monitoring.Estimation;

/// <summary>CBPE's part of the console table, <c>summary.md</c> and <c>report.html</c>: estimate, band, realised value and gate per
/// metric.</summary>
internal static class EstimatedPerformanceText
{
    private static readonly string[] Headers =
        ["metric", "estimated (CBPE)", "band (±3σ)", "realised", "labelled rows", "gate", "estimate meets gate"];

    public static string Heading(EstimatedPerformance estimated) => string.Create(CultureInfo.InvariantCulture,
        $"Estimated performance without labels on {estimated.Rows:N0} rows (" +
            $"{(estimated.Calibrated ? "calibrated by the package's isotonic map" : "the model's own probabilities")}): " +
            $"{(estimated.Trustworthy ? "trustworthy" : "NOT TRUSTWORTHY")}: {estimated.Reason}.");

    public static string Markdown(EstimatedPerformance estimated)
    {
        var text = new StringBuilder();
        text.AppendLine(Heading(estimated));
        text.AppendLine();
        text.Append(MarkdownTable.Render(Headers, Rows(estimated).Select(r => (IReadOnlyList<string>)r), new HashSet<int> { 1, 3, 4 }));
        return text.ToString();
    }

    public static string Html(EstimatedPerformance estimated)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture,
            $"<h2>Estimated performance (CBPE)</h2>\n<p class=\"{(estimated.Trustworthy ? "good" : "bad")}\">" +
            $"{WebUtility.HtmlEncode(Heading(estimated))}</p>\n<table><tr>");
        foreach (var header in Headers)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{WebUtility.HtmlEncode(header)}</th>");
        }

        html.Append("</tr>");
        foreach (var row in Rows(estimated))
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<td>{WebUtility.HtmlEncode(cell.Replace("**", "", StringComparison.Ordinal))}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>\n");
        return html.ToString();
    }

    private static IEnumerable<string[]> Rows(EstimatedPerformance estimated) => estimated.Metrics.Select(m => new[]
    {
        m.Metric, Number(m.Value), $"{Number(m.Lower)} – {Number(m.Upper)}", m.Realised is { } r ? Number(r) : "-",
            m.RealisedRows.ToString("N0", CultureInfo.InvariantCulture),
        m.Gate ?? "-", m.Passed is not { } passed ? "-" : passed ? "yes" : estimated.Trustworthy ? "**no**" : "(no; not trustworthy)",
    });

    private static string Number(double value) => double.IsNaN(value) ? "-" : Layercake.Shared.Reporting.MetricText.Short(value);
}
