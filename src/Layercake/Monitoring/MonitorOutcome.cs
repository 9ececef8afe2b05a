using System.Globalization;
using Layercake.Monitoring.Drift;
using Layercake.Monitoring.Reports;

namespace Layercake.Monitoring;

/// <summary>Monitor's verdict on one version, and where its report was written.</summary>
/// <param name="Directory">The folder of <c>monitor.json</c>, <c>summary.md</c> and <c>report.html</c>.</param>
public sealed record MonitorOutcome(string Model, string Version, MonitorReport Report, string Directory)
{
    public bool Healthy => Report.Healthy;

    public string ReportPath => Path.Combine(Directory, MonitorReportWriter.HtmlFile);

    public string Title => string.Create(CultureInfo.InvariantCulture,
        $"Monitoring {Model} {Version}: {Report.Log.Rows:N0} predictions, {Report.Windows.Count} window(s) of {Report.Window}; dataset " +
            $"drift {(Report.DatasetDrift.Drifted ? "YES" : "no")} ({Report.DatasetDrift.DriftedColumns} of {Report.DatasetDrift.Columns}" +
            $" columns)");

    public string Table => MonitorReportWriter.Table(Report);

    public string Markdown => MonitorReportWriter.Markdown(Report);

    /// <summary>The verdict a healthy run ends with: said as plainly as a breach is, with the report to read.</summary>
    public string HealthyMessage => $"monitoring {Model} {Version}: healthy, no breach\nReport: {ReportPath}";

    /// <summary>Why the run fails when <see cref="Healthy"/> is false: every breach, and the report to read.</summary>
    public string BreachMessage =>
        $"monitoring {Model} {Version} found {Report.Breaches.Count} breach(es):\n  {string.Join("\n  ", Report.Breaches)}\nReport: " +
        $"{ReportPath}";
}
