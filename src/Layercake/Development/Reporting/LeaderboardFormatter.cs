using System.Globalization;
using Layercake.Runtime.Manifest;
using Layercake.Development.Evaluation;
using Layercake.Development.Training;
using Layercake.Shared.Reporting;

namespace Layercake.Development.Reporting;

/// <summary>Tables of cross-validation and gate results, for the console, job summaries and model cards.</summary>
public static class LeaderboardFormatter
{
    public static string Leaderboard(CrossValidationReport cv)
    {
        var metrics = cv.Candidates[0].Metrics.Keys.ToArray();
        var header = new[] { "rank", "candidate", "trainer" }.Concat(metrics.Select(m => m == cv.PrimaryMetric ? $"{m} (primary)" : m)).Append("seconds").ToArray();
        var rows = cv.Ranked().Select((c, i) => (IReadOnlyList<string>)new[] { (i + 1).ToString(CultureInfo.InvariantCulture), c.Name == cv.Winner ? $"{c.Name} *" : c.Name, c.Kind }
            .Concat(metrics.Select(m => MeanStd(c.Metrics[m].Mean, c.Metrics[m].StdDev)))
            .Append(c.Seconds.ToString("F1", CultureInfo.InvariantCulture)).ToArray());
        return MarkdownTable.Render(header, rows, Enumerable.Range(3, metrics.Length + 1).Append(0).ToHashSet());
    }

    public static string Folds(CrossValidationReport cv)
    {
        var header = new[] { "candidate" }.Concat(Enumerable.Range(1, cv.Folds).Select(f => $"fold {f}")).Append("mean ± std").ToArray();
        var rows = cv.Ranked().Select(c => (IReadOnlyList<string>)new[] { c.Name }
            .Concat(c.Folds.Select(f => Number(f.Metrics[cv.PrimaryMetric])))
            .Append(MeanStd(c.Metrics[cv.PrimaryMetric].Mean, c.Metrics[cv.PrimaryMetric].StdDev)).ToArray());
        return MarkdownTable.Render(header, rows, Enumerable.Range(1, cv.Folds + 1).ToHashSet());
    }

    public static string Gates(GateReport report)
    {
        if (report.Outcomes.Count == 0)
        {
            return "No gates are declared for this pipeline.\n";
        }

        var rows = report.Outcomes.Select(o => (IReadOnlyList<string>)[o.Metric, Number(o.Value), $"{o.Operator.Symbol()} {o.Threshold.ToString(CultureInfo.InvariantCulture)}", o.Passed ? "pass" : "FAIL"]);
        return MarkdownTable.Render(["gate", "value", "threshold", "result"], rows, new HashSet<int> { 1 });
    }

    public static string Number(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    public static string MeanStd(double mean, double std) => $"{Number(mean)} ± {Number(std)}";
}
