using Layercake.Development.Metrics;
using ScottPlot;

namespace Layercake.Development.Reporting;

/// <summary>PNG charts of the winner's out-of-fold predictions: confusion, calibration, ROC and PR, residuals, importance.</summary>
internal static class DiagnosticPlots
{
    public static void Confusion(IReadOnlyList<string> classes, ClassificationDiagnostics diagnostics, string title, string path)
    {
        var k = classes.Count;
        var share = new double[k, k];
        for (var a = 0; a < k; a++)
        {
            var total = Math.Max(1, diagnostics.Confusion[a].Sum());
            for (var p = 0; p < k; p++)
            {
                share[a, p] = (double)diagnostics.Confusion[a][p] / total;
            }
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(share);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        for (var a = 0; a < k; a++)
        {
            for (var p = 0; p < k; p++)
            {
                var label = plot.Add.Text($"{diagnostics.Confusion[a][p]}", p, k - 1 - a);
                label.LabelFontColor = share[a, p] > 0.6 ? Colors.Black : Colors.White;
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = 16;
            }
        }

        var ticks = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, classes.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, classes.Reverse().ToArray());
        plot.Add.ColorBar(heatmap);
        plot.XLabel("predicted");
        plot.YLabel("actual");
        plot.Title(title);
        plot.SavePng(path, TrainingPlots.Width, TrainingPlots.Height);
    }

    public static void Calibration(Calibration calibration, string title, string path)
    {
        var plot = new Plot();
        var ideal = plot.Add.Line(0, 0, 1, 1);
        ideal.LinePattern = LinePattern.Dashed;
        ideal.LegendText = "perfectly calibrated";
        var curve =
            plot.Add.Scatter(calibration.Bins.Select(b => b.MeanPredicted).ToArray(), calibration.Bins.Select(b => b.Observed).ToArray());
        curve.LegendText = $"{calibration.Reads} (ECE {calibration.ExpectedCalibrationError:0.000})";
        curve.LineWidth = 2;
        curve.MarkerSize = 8;
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.XLabel("mean predicted probability");
        plot.YLabel("observed frequency");
        plot.Title(title);
        plot.ShowLegend(Edge.Bottom);
        plot.SavePng(path, TrainingPlots.Width, TrainingPlots.Height);
    }

    public static void Curve(IReadOnlyList<CurvePoint> points, string xLabel, string yLabel, string legend, bool diagonal, string title,
        string path)
    {
        var plot = new Plot();
        if (diagonal)
        {
            plot.Add.Line(0, 0, 1, 1).LinePattern = LinePattern.Dashed;
        }

        var curve = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
        curve.LegendText = legend;
        curve.LineWidth = 2;
        curve.MarkerSize = 0;
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Title(title);
        plot.ShowLegend(Edge.Bottom);
        plot.SavePng(path, TrainingPlots.Width, TrainingPlots.Height);
    }

    public static void PredictedAgainstActual(double[] actual, double[] predicted, string title, string path)
    {
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(actual, predicted);
        points.MarkerSize = 4;
        var low = Math.Min(actual.Min(), predicted.Min());
        var high = Math.Max(actual.Max(), predicted.Max());
        plot.Add.Line(low, low, high, high).LinePattern = LinePattern.Dashed;
        plot.XLabel("actual");
        plot.YLabel("predicted (out-of-fold)");
        plot.Title(title);
        plot.SavePng(path, TrainingPlots.Width, TrainingPlots.Height);
    }

    public static void Residuals(double[] actual, double[] predicted, string title, string path)
    {
        var plot = new Plot();
        var residuals = actual.Select((a, i) => a - predicted[i]).ToArray();
        var points = plot.Add.ScatterPoints(predicted, residuals);
        points.MarkerSize = 4;
        plot.Add.HorizontalLine(0).LinePattern = LinePattern.Dashed;
        plot.XLabel("predicted (out-of-fold)");
        plot.YLabel("residual (actual − predicted)");
        plot.Title(title);
        plot.SavePng(path, TrainingPlots.Width, TrainingPlots.Height);
    }

    /// <summary>Horizontal bars, most important on top, with the fold spread as error bars; negatives drawn left of zero.</summary>
    public static void Importance(IReadOnlyList<FeatureImportance> importance, string metric, string title, string path)
    {
        var plot = new Plot();
        var ordered = importance.Reverse().ToArray();
        var bars = ordered.Select((f, i) => new Bar
        {
            Position = i,
            Value = f.Drop.Mean,
            Error = f.Drop.StdDev,
            FillColor = f.Drop.Mean >= 0 ? Colors.SteelBlue : Colors.IndianRed,
            Orientation = Orientation.Horizontal,
        }).ToArray();
        plot.Add.Bars(bars);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, ordered.Length).Select(i => (double)i).ToArray(), ordered.Select(f => f.Column).ToArray());
        plot.Add.VerticalLine(0);
        plot.XLabel($"drop in {metric} when shuffled");
        plot.Title(title);
        plot.SavePng(path, TrainingPlots.Width, Math.Max(TrainingPlots.Height, 60 + 28 * ordered.Length));
    }
}
