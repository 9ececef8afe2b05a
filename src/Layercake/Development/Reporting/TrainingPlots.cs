using Layercake.Development.Training;
using ScottPlot;

namespace Layercake.Development.Reporting;

/// <summary>PNG charts of a cross-validation: the primary metric fold by fold, and each candidate's mean ± std.</summary>
public static class TrainingPlots
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

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(folds, folds.Select(f => $"fold {f}").ToArray());
        plot.Title($"{cv.Pipeline}: {cv.PrimaryMetric} per fold");
        plot.YLabel(cv.PrimaryMetric);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>A bar per candidate with its standard deviation across folds as the error bar.</summary>
    public static void MeanWithSpread(CrossValidationReport cv, string metric, string path)
    {
        var plot = new Plot();
        var ranked = cv.Ranked();
        var bars = ranked.Select((c, i) => new Bar
        {
            Position = i,
            Value = c.Metrics[metric].Mean,
            Error = c.Metrics[metric].StdDev,
            FillColor = c.Name == cv.Winner ? Colors.SteelBlue : Colors.LightGray,
        }).ToArray();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, ranked.Count).Select(i => (double)i).ToArray(), ranked.Select(c => c.Name).ToArray());
        var lowest = ranked.Min(c => c.Metrics[metric].Mean - c.Metrics[metric].StdDev);
        var highest = ranked.Max(c => c.Metrics[metric].Mean + c.Metrics[metric].StdDev);
        var margin = Math.Max((highest - lowest) * 0.5, 1e-3);
        plot.Axes.SetLimitsY(Math.Max(0, lowest - margin), highest + margin);
        plot.Title($"{cv.Pipeline}: {metric}, mean ± std over {cv.Folds} folds");
        plot.YLabel(metric);
        plot.SavePng(path, Width, Height);
    }
}
