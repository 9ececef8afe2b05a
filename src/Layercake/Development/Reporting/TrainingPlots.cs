using Layercake.Development.Training;
using Layercake.Development.Metrics;
using ScottPlot;

namespace Layercake.Development.Reporting;

/// <summary>PNG charts of a cross-validation: the primary metric fold by fold, and each candidate's mean ± std.</summary>
internal static class TrainingPlots
{
    public const int Width = 720;
    public const int Height = 420;

    /// <summary>One line per candidate across folds: how stable each is, not just how good on average.</summary>
    public static void Folds(CrossValidationReport cv, string path)
    {
        var plot = new Plot();
        var folds = Enumerable.Range(1, cv.Folds).Select(f => (double)f).ToArray();
        foreach (var candidate in cv.Ranked())
        {
            var scatter = plot.Add.Scatter(folds, candidate.Folds.Select(f => f.Metrics[cv.PrimaryMetric]).ToArray());
            scatter.LegendText = candidate.Name == cv.Winner ? $"{candidate.Name} (chosen)" : candidate.Name;
            scatter.LineWidth = candidate.Name == cv.Winner ? 3 : 1.5f;
            scatter.MarkerSize = 7;
        }

        if (cv.Baseline is { } baseline)
        {
            var line = plot.Add.Scatter(folds, baseline.Folds.Select(f => f.Metrics[cv.PrimaryMetric]).ToArray());
            line.LegendText = "baseline";
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Gray;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(folds, folds.Select(f => $"fold {f}").ToArray());
        plot.Title($"{cv.Pipeline}: {cv.PrimaryMetric} per fold");
        plot.YLabel(cv.PrimaryMetric);
        // Outside the data area, so no line is ever hidden behind it.
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>
    /// A bar per candidate with its standard deviation across folds as the error bar, and the baseline's in grey.
    /// The axis takes in negative means (r², log-loss reduction), so a model worse than the mean shows as such.
    /// </summary>
    /// <summary>
    /// Each bar's value written past the end of its error bar (above it, or below it for a negative mean), so the label
    /// never sits on the error bar's cap as a label at the bar's end does.
    /// </summary>
    private static void ValueLabels(Plot plot, IReadOnlyList<Layercake.Runtime.Manifest.Evaluation.MetricSummary> summaries, double margin)
    {
        for (var i = 0; i < summaries.Count; i++)
        {
            var (mean, std) = (summaries[i].Mean, summaries[i].StdDev);
            if (!double.IsFinite(mean))
            {
                continue;
            }

            var spread = double.IsFinite(std) ? std : 0;
            var text =
                plot.Add.Text(Layercake.Shared.Reporting.MetricText.Short(Math.Round(mean, 3)), i, mean >= 0 ? mean + spread
                + (margin * 0.15) : mean - spread - (margin * 0.15));
            text.LabelAlignment = mean >= 0 ? Alignment.LowerCenter : Alignment.UpperCenter;
            text.LabelFontSize = 12;
            text.LabelFontColor = Colors.Black;
        }
    }

    public static void MeanWithSpread(CrossValidationReport cv, string metric, string path)
    {
        var plot = new Plot();
        var ranked = cv.Ranked().Concat(cv.Baseline is { } b && b.Metrics.ContainsKey(metric) ? [b] : Array.Empty<CandidateResult>())
            .ToArray();
        var bars = ranked.Select((c, i) => new Bar
        {
            Position = i,
            Value = c.Metrics[metric].Mean,
            Error = c.Metrics[metric].StdDev,
            FillColor = c == cv.Baseline ? Colors.DarkGray : c.Name == cv.Winner ? Colors.SteelBlue : Colors.LightSteelBlue,
        }).ToArray();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, ranked.Length).Select(i => (double)i).ToArray(), ranked.Select(c => c == cv.Baseline ? "baseline" : c.Name)
                .ToArray());
        var finite = ranked.Select(c => c.Metrics[metric]).Where(s => double.IsFinite(s.Mean)).ToArray();
        var lowest = Math.Min(0, finite.Select(s => s.Mean - s.StdDev).DefaultIfEmpty(0).Min());
        var highest = Math.Max(0, finite.Select(s => s.Mean + s.StdDev).DefaultIfEmpty(1).Max());
        var margin = Math.Max((highest - lowest) * 0.12, 1e-3);
        plot.Axes.SetLimitsY(lowest < 0 ? lowest - margin : 0, highest + margin);
        ValueLabels(plot, ranked.Select(c => c.Metrics[metric]).ToArray(), margin);
        plot.Add.HorizontalLine(0).Color = Colors.Black;
        plot.Title($"{cv.Pipeline}: {metric}, mean ± std over {cv.Folds} folds");
        plot.YLabel(metric);
        plot.SavePng(path, Width, Height);
    }
}
