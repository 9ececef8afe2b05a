using Layercake.Development.Training;
using ScottPlot;

namespace Layercake.Development.Reporting;

/// <summary>A candidate's search as a chart: each trial's inner score in order, the best so far, and the outer (nested) score.</summary>
internal static class SearchPlots
{
    public static void Trials(CrossValidationReport cv, CandidateResult candidate, string path)
    {
        var search = candidate.Search ?? throw new ArgumentException($"{candidate.Name} was not searched", nameof(candidate));
        var plot = new Plot();
        var finished = search.Trials.Where(t => double.IsFinite(t.Score)).ToArray();
        var trials = finished.Select(t => (double)t.Trial).ToArray();
        var points = plot.Add.ScatterPoints(trials, finished.Select(t => t.Score).ToArray());
        points.LegendText = "trial (inner score, mean of splits)";
        points.MarkerSize = 8;

        var best = new List<double>();
        foreach (var trial in finished)
        {
            best.Add(best.Count == 0 ? trial.Score : cv.HigherIsBetter ? Math.Max(best[^1], trial.Score) : Math.Min(best[^1], trial.Score));
        }

        if (finished.Length > 0)
        {
            var line = plot.Add.ScatterLine(trials, best.ToArray());
            line.LegendText = "best so far";
            line.LineWidth = 2;
        }

        // The honest figure beside the ones the search chose by, so the gap (the search's optimism) is visible.
        var outer = plot.Add.HorizontalLine(candidate.Metrics[cv.PrimaryMetric].Mean);
        outer.LegendText = "outer score (nested CV)";
        outer.LinePattern = LinePattern.Dashed;
        outer.Color = Colors.Gray;
        plot.Title($"{cv.Pipeline}: {candidate.Name}, {cv.PrimaryMetric} per trial");
        plot.XLabel("trial");
        plot.YLabel(cv.PrimaryMetric);
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, TrainingPlots.Width, TrainingPlots.Height);
    }
}
