using Layercake.Monitoring.Drift;
using Layercake.Monitoring.Quality;
using ScottPlot;

namespace Layercake.Monitoring.Reports;

/// <summary>PNG charts of a monitoring report: each feature's training and current shares, drift over time, live metrics over
/// time.</summary>
internal static class MonitorPlots
{
    public const int Width = 720;
    public const int Height = 380;

    /// <summary>Training and current shares side by side, bin by bin (or category by category).</summary>
    public static void Histogram(ColumnDrift column, string path)
    {
        var plot = new Plot();
        var histogram = column.Histogram;
        var reference =
            histogram.Reference.Select((share, i) => new Bar { Position = (i * 3) + 0, Value = share, FillColor = Colors.LightGray })
            .ToArray();
        var current =
            histogram.Current.Select(
            (share, i) =>
            new Bar { Position = (i * 3) + 1, Value = share, FillColor = column.Drifted ? Colors.OrangeRed : Colors.SteelBlue }).ToArray();
        plot.Add.Bars(reference).LegendText = "training";
        plot.Add.Bars(current).LegendText = "production";
        var step = Math.Max(1, histogram.Bins.Count / 10);
        var ticks = Enumerable.Range(0, histogram.Bins.Count).Where(i => i % step == 0).ToArray();
        plot.Axes.Bottom.TickGenerator =
            new ScottPlot.TickGenerators.NumericManual(ticks.Select(i => (i * 3) + 0.5).ToArray(), ticks.Select(i => histogram.Bins[i])
            .ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Title($"{column.Column}: {column.Test} {(column.Drifted ? "DRIFTED" : "no drift")}");
        plot.YLabel("share of rows");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>A column's drift statistic window by window, with its threshold as a line.</summary>
    public static void DriftOverTime(ColumnDrift overall, IReadOnlyList<WindowSummary> windows, Func<WindowSummary, WindowColumn?> select,
        string path)
    {
        var plot = new Plot();
        var points = windows
            .Select(w => (Time: w.Start.UtcDateTime.ToOADate(), Value: select(w)?.Statistic))
            .Where(p => p.Value is { } v && double.IsFinite(v))
            .ToArray();
        if (points.Length > 0)
        {
            var scatter = plot.Add.Scatter(points.Select(p => p.Time).ToArray(), points.Select(p => p.Value!.Value).ToArray());
            scatter.LegendText = overall.Test;
            scatter.MarkerSize = 7;
        }

        var line = plot.Add.HorizontalLine(overall.Threshold);
        line.LinePattern = LinePattern.Dashed;
        line.Color = Colors.OrangeRed;
        line.LegendText = $"threshold {overall.Threshold:0.###}";
        // From zero, and past the threshold: one window's value would otherwise get an axis cut around it (0.075–0.1)
        // that makes any distance look like a drift or a near miss.
        var top = points.Select(p => p.Value!.Value).Append(overall.Threshold).Max();
        plot.Axes.SetLimitsY(0, overall.Test is "ks" or "chisquare" ? Math.Max(1, top) * 1.05 : Math.Max(top * 1.25, 1e-3));
        plot.Axes.DateTimeTicksBottom();
        plot.Title($"{overall.Column}: {overall.Test} per window");
        plot.YLabel(overall.Test is "ks" or "chisquare" ? "p-value (drift below the line)" : "distance (drift above the line)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>A live metric window by window against the cross-validated estimate and the gate.</summary>
    public static void LiveOverTime(LiveMetric metric, IReadOnlyList<WindowSummary> windows, GateLine? gate, string path)
    {
        var plot = new Plot();
        var points = windows.Where(w => w.Live.ContainsKey(metric.Metric))
            .Select(w => (Time: w.Start.UtcDateTime.ToOADate(), Value: w.Live[metric.Metric])).ToArray();
        if (points.Length > 0)
        {
            var scatter = plot.Add.Scatter(points.Select(p => p.Time).ToArray(), points.Select(p => p.Value).ToArray());
            scatter.LegendText = $"{metric.Metric} (production)";
            scatter.MarkerSize = 7;
        }

        if (metric.CvMean is { } cv)
        {
            var line = plot.Add.HorizontalLine(cv);
            line.Color = Colors.SteelBlue;
            line.LegendText = $"cross-validated {cv:0.###}";
        }

        if (gate is { } g)
        {
            var line = plot.Add.HorizontalLine(g.Threshold);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.OrangeRed;
            line.LegendText = $"gate {g.Text}";
        }

        FromZeroWhenFew(plot, points.Select(p => p.Value).Concat(metric.CvMean is { } mean ? [mean] : [])
            .Concat(gate is { } gl ? [gl.Threshold] : []).ToArray(), points.Length);
        plot.Axes.DateTimeTicksBottom();
        plot.Title($"{metric.Metric} per window on labelled rows");
        plot.YLabel(metric.Metric);
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>
    /// With fewer than two windows there is no trend to zoom in on: the axis runs from zero (for figures that cannot be
    /// negative) past the highest value, so a single point is read against the scale rather than against its neighbourhood.
    /// </summary>
    private static void FromZeroWhenFew(Plot plot, IReadOnlyList<double> values, int points)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (points < 2 && finite.Length > 0 && finite.Min() >= 0)
        {
            plot.Axes.SetLimitsY(0, Math.Max(finite.Max() * 1.15, 1e-3));
        }
    }

    /// <summary>A CBPE estimate window by window with its band, the realised value where labels exist, and the gate.</summary>
    public static void EstimatedOverTime(string metric, bool trustworthy, IReadOnlyList<WindowSummary> windows, GateLine? gate, string path)
    {
        var plot = new Plot();
        var estimates =
            windows.SelectMany(w => (w.Estimated ?? []).Where(e => e.Metric == metric && !double.IsNaN(e.Value))
            .Select(e => (Time: w.Start.UtcDateTime.ToOADate(), e))).ToArray();
        if (estimates.Length > 0)
        {
            var times = estimates.Select(p => p.Time).ToArray();
            var band = plot.Add.FillY(times, estimates.Select(p => p.e.Upper).ToArray(), estimates.Select(p => p.e.Lower).ToArray());
            band.FillColor = Colors.SteelBlue.WithAlpha(0.2);
            band.LegendText = "band (±3σ)";
            var estimate = plot.Add.Scatter(times, estimates.Select(p => p.e.Value).ToArray());
            estimate.LegendText = "estimated (CBPE)";
            estimate.MarkerSize = 7;
            var realised = estimates.Where(p => p.e.Realised is not null).ToArray();
            if (realised.Length > 0)
            {
                var actual = plot.Add.Scatter(realised.Select(p => p.Time).ToArray(), realised.Select(p => p.e.Realised!.Value).ToArray());
                actual.LegendText = "realised (labelled rows)";
                actual.Color = Colors.Black;
                actual.LinePattern = LinePattern.Dotted;
                actual.MarkerSize = 7;
            }
        }

        if (gate is { } g)
        {
            var line = plot.Add.HorizontalLine(g.Threshold);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.OrangeRed;
            line.LegendText = $"gate {g.Text}";
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Title(trustworthy ? $"{metric}: estimated against realised" : $"{metric}: estimated against realised (CBPE NOT TRUSTWORTHY)");
        plot.YLabel(metric);
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>A gate's threshold and its text, to draw.</summary>
    public readonly record struct GateLine(double Threshold, string Text);
}
