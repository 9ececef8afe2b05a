using System.Globalization;
using Layercake.Development.Training.Search;
using Layercake.Runtime.Manifest;
using Layercake.Development.Evaluation;
using Layercake.Development.Metrics;
using Layercake.Development.Training;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Shared.Reporting;

namespace Layercake.Development.Reporting;

/// <summary>Tables of cross-validation and gate results, for the console, job summaries and model cards.</summary>
public static class LeaderboardFormatter
{
    /// <summary>
    /// Candidates best first, the winner starred, each with its lift over the baseline on the primary metric; the
    /// baseline last, marked, never ranked.
    /// </summary>
    /// <param name="withSeconds">
    /// Each candidate's training time. The model card leaves it out: it is part of the package, which must be the
    /// same bytes whenever the same commit is built, and no two runs take the same time.
    /// </param>
    public static string Leaderboard(CrossValidationReport cv, bool withSeconds = true)
    {
        var metrics = cv.Candidates[0].Metrics.Keys.ToArray();
        // The parameters column only when something was searched, so a fixed pipeline's leaderboard stays narrow.
        var searched = SearchTables.Any(cv);
        var header = new[] { "rank", "candidate", "trainer" }.Concat(metrics.Select(m => m == cv.PrimaryMetric ? $"{m} (primary)" : m))
            .Append("lift vs baseline").Concat(withSeconds ? ["seconds"] : Array.Empty<string>())
                .Concat(searched ? ["parameters"] : Array.Empty<string>()).ToArray();
        var rows = cv.Ranked()
            .Select((c, i) =>
            (IReadOnlyList<string>)new[] { (i + 1).ToString(CultureInfo.InvariantCulture), c.Name == cv.Winner ? $"{c.Name} *" : c.Name,
            c.Kind }
            .Concat(metrics.Select(m => MeanStd(c.Metrics[m].Mean, c.Metrics[m].StdDev)))
            .Append(c.Lift is { } lift ? (lift >= 0 ? "+" : "") + Number(lift) : "")
            .Concat(withSeconds ? [c.Seconds.ToString("F1", CultureInfo.InvariantCulture)] : Array.Empty<string>())
            .Concat(searched ? [Parameters(c)] : Array.Empty<string>()).ToArray()).ToList();
        if (cv.Baseline is { } baseline)
        {
            rows.Add(new[] { "—", $"{baseline.Name} ({cv.BaselineDescription})", "baseline" }
                .Concat(metrics.Select(m => baseline.Metrics.TryGetValue(m, out var s) ? MeanStd(s.Mean, s.StdDev) : ""))
                .Append("").Concat(withSeconds ? [""] : Array.Empty<string>()).Concat(searched ? [""] : Array.Empty<string>()).ToArray());
        }

        return MarkdownTable.Render(header, rows, Enumerable.Range(3, metrics.Length + (withSeconds ? 2 : 1)).Append(0).ToHashSet())
            + Notes(cv);
    }

    /// <summary>What the table alone does not say: a sampled cross-validation, and winners that could not be packaged.</summary>
    private static string Notes(CrossValidationReport cv)
    {
        var notes = cv.PassedOver.Select(p => $"- Not packaged: {p}").ToList();
        if (cv.PassedOver.Count > 0)
        {
            notes.Add($"- Packaged instead: {cv.Winner} (*), the best candidate that exports to ONNX and scores like ML.NET.");
        }

        if (cv.CvSampleRows is { } sampled)
        {
            notes.Add(
                string.Create(CultureInfo.InvariantCulture,
                $"- Cross-validated on a stratified sample of {sampled:N0} rows (cv_sample); the packaged model is trained on all rows."));
        }

        return notes.Count == 0 ? "" : "\n" + string.Join("\n", notes) + "\n";
    }

    /// <summary>Precision, recall and F1 per class (mean ± std over folds), with each class's rows.</summary>
    public static string PerClass(ClassificationDiagnostics diagnostics)
    {
        var rows = diagnostics.PerClass.Select(c => (IReadOnlyList<string>)
        [
            c.Class, c.Support.ToString(CultureInfo.InvariantCulture),
            MeanStd(c.Precision.Mean, c.Precision.StdDev), MeanStd(c.Recall.Mean, c.Recall.StdDev), MeanStd(c.F1.Mean, c.F1.StdDev),
        ]);
        return MarkdownTable.Render(["class", "rows", "precision", "recall", "f1"], rows, new HashSet<int> { 1, 2, 3, 4 });
    }

    /// <summary>The out-of-fold confusion matrix: rows are the actual class, columns the predicted one.</summary>
    public static string Confusion(IReadOnlyList<string> classes, ClassificationDiagnostics diagnostics)
    {
        var header = new[] { "actual ↓ predicted →" }.Concat(classes).ToArray();
        var rows =
            classes.Select(
            (c, i) =>
            (IReadOnlyList<string>)new[] { c }.Concat(diagnostics.Confusion[i].Select(n => n.ToString(CultureInfo.InvariantCulture)))
            .ToArray());
        return MarkdownTable.Render(header, rows, Enumerable.Range(1, classes.Count).ToHashSet());
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

        var rows =
            report.Outcomes.Select(
            o => (IReadOnlyList<string>)[o.Baseline is null ? o.Metric : $"{o.Metric} vs baseline {Number(o.Baseline.Value)}",
            Number(o.Value), $"{o.Operator.Symbol()} {Number(o.Threshold)}", o.Passed ? "pass" : "FAIL"]);
        return MarkdownTable.Render(["gate", "value", "threshold", "result"], rows, new HashSet<int> { 1 });
    }

    public static string Number(double value) => MetricText.Number(value);

    private static string Parameters(CandidateResult c)
    {
        var text = c.Parameters.Count == 0 ? "defaults" : HyperparameterSearch.Describe(c.Parameters);
        return c.Search is null ? text : $"{text} (searched)";
    }

    public static string MeanStd(double mean, double std) => MetricText.MeanStd(mean, std);
}
