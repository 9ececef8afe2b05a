using Layercake.Development.Training;
using Layercake.Development.Training.Search;
using ScottPlot;

namespace Layercake.Development.Reporting;

/// <summary>A candidate's search as a chart: each trial's inner score in order, the best so far, and the outer (nested) score.</summary>
internal static class SearchPlots
{
    public static void Trials(CrossValidationReport cv, CandidateResult candidate, string path)
    {
        var search = candidate.Search ?? throw new ArgumentException($"{candidate.Name} was not searched", nameof(candidate));
        var plot = new Plot();
        // In the order run; under successive halving each rung (share of the rows) is its own series.
        var order = search.Trials.Select((t, i) => (Trial: t, Order: i + 1.0)).Where(x => double.IsFinite(x.Trial.Score)).ToArray();
        foreach (var rung in order.GroupBy(x => x.Trial.Share).OrderBy(g => g.Key))
        {
            var points = plot.Add.ScatterPoints(rung.Select(x => x.Order).ToArray(), rung.Select(x => x.Trial.Score).ToArray());
            points.LegendText = rung.Key >= 1 ? "trial (inner score, mean of splits)"
                : $"on {HyperparameterSearch.ShareText(rung.Key)} of the rows";
            points.MarkerSize = 8;
        }

        var full = order.Where(x => x.Trial.Share >= order.Max(y => y.Trial.Share)).ToArray();
        var best = new List<double>();
        foreach (var (trial, _) in full)
        {
            best.Add(best.Count == 0 ? trial.Score : cv.HigherIsBetter ? Math.Max(best[^1], trial.Score) : Math.Min(best[^1], trial.Score));
        }

        if (full.Length > 0)
        {
            var line = plot.Add.ScatterLine(full.Select(x => x.Order).ToArray(), best.ToArray());
            line.LegendText = "best so far";
            line.LineWidth = 2;
        }

        // The honest figure beside the ones the search chose by, so the gap (the search's optimism) is visible.
        var outer = plot.Add.HorizontalLine(candidate.Metrics[cv.PrimaryMetric].Mean);
        outer.LegendText = "outer score (nested CV)";
        outer.LinePattern = LinePattern.Dashed;
        outer.Color = Colors.Gray;
        plot.Title($"{cv.Pipeline}: {candidate.Name}, {cv.PrimaryMetric} per trial");
        plot.XLabel("trial, in the order run");
        plot.YLabel(cv.PrimaryMetric);
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, TrainingPlots.Width, TrainingPlots.Height);
    }
}
