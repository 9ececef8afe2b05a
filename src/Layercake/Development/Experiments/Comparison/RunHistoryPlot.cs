using Layercake.Development.Experiments.Store;
using Layercake.Development.Reporting;
using ScottPlot;

namespace Layercake.Development.Experiments.Comparison;

/// <summary>The winner's primary metric over a pipeline's runs, oldest first, ± its fold spread; the two compared runs stand out.</summary>
internal static class RunHistoryPlot
{
    public static void Draw(IReadOnlyList<ExperimentRun> runs, RunComparison comparison, string path)
    {
        var plot = new Plot();
        var measured = runs.Where(r => r.PrimarySummary is { } s && double.IsFinite(s.Mean)).OrderBy(r => r.StartedAt).ToArray();
        var xs = Enumerable.Range(0, measured.Length).Select(i => (double)i).ToArray();
        var means = measured.Select(r => r.PrimarySummary!.Mean).ToArray();
        var spreads = measured.Select(r => double.IsFinite(r.PrimarySummary!.StdDev) ? r.PrimarySummary!.StdDev : 0).ToArray();
        if (measured.Length > 0)
        {
            plot.Add.ErrorBar(xs, means, spreads).Color = Colors.Gray;
            var line = plot.Add.Scatter(xs, means);
            line.Color = Colors.SteelBlue;
            line.LegendText = "winner's mean ± std over folds";
            for (var i = 0; i < measured.Length; i++)
            {
                if (measured[i].Id == comparison.Old.Id || measured[i].Id == comparison.New.Id)
                {
                    var marker = plot.Add.Marker(xs[i], means[i]);
                    marker.Color = measured[i].Id == comparison.New.Id ? Colors.OrangeRed : Colors.DarkOrange;
                    marker.Size = 14;
                }
                else if (measured[i].Outcome is RunOutcomes.GateFailed)
                {
                    plot.Add.Marker(xs[i], means[i], MarkerShape.Cross, 12, Colors.Red);
                }
            }

            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xs, measured.Select(r => r.Id).ToArray());
            plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            // Room for the slanted run ids below the axis and past the last one, so none is cut off at the edge.
            plot.Axes.Bottom.MinimumSize = 120;
            plot.Axes.Right.MinimumSize = 110;
            plot.Axes.SetLimitsX(-0.5, measured.Length - 0.5);
        }

        var metric = comparison.New.PrimaryMetric ?? comparison.Old.PrimaryMetric ?? "primary metric";
        plot.Title($"{comparison.New.Pipeline}: {metric} over {measured.Length} runs");
        plot.YLabel(metric);
        plot.SavePng(path, TrainingPlots.Width, TrainingPlots.Height + 80);
    }
}
