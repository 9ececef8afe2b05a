using ScottPlot;

namespace Layercake.Deployment.Rollouts;

/// <summary>
/// A rollout report's PNG charts, step by step: the share the new version answered against its declared weight, and
/// each version's requests.
/// </summary>
internal static class RolloutPlots
{
    private const int Width = 720;
    private const int Height = 380;

    /// <summary>Per step: the declared weight and the share the new version answered, side by side, failed steps in red.</summary>
    public static void Split(RolloutJournal journal, string path)
    {
        var plot = new Plot();
        var steps = journal.Steps;
        plot.Add.Bars(steps.Select((s, i) => new Bar { Position = i * 3, Value = s.Weight, FillColor = Colors.LightGray }).ToArray())
            .LegendText = "declared weight";
        plot.Add.Bars(steps.Select((s, i) => new Bar
        {
            Position = (i * 3) + 1,
            Value = s.CanaryShare,
            FillColor = s.Passed ? Colors.SteelBlue : Colors.OrangeRed,
        }).ToArray()).LegendText = $"{journal.CanaryVersion}'s share of requests (red: a check failed)";
        Ticks(plot, steps);
        plot.Axes.SetLimitsY(0, 105);
        plot.Title($"{journal.Strategy} {journal.CanaryVersion}: share per step");
        plot.YLabel("percent of requests");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Per step: the requests each version answered in the step's analysis window.</summary>
    public static void Requests(RolloutJournal journal, string path)
    {
        var plot = new Plot();
        var steps = journal.Steps;
        plot.Add.Bars(steps.Select((s, i) => new Bar { Position = i * 3, Value = s.StableRequests, FillColor = Colors.SlateGray })
            .ToArray())
            .LegendText = $"{journal.StableVersion} (live)";
        plot.Add.Bars(steps.Select((s, i) => new Bar { Position = (i * 3) + 1, Value = s.CanaryRequests, FillColor = Colors.SteelBlue })
            .ToArray())
            .LegendText = journal.Strategy == "shadow" ? $"{journal.CanaryVersion} (mirrored copies)" : journal.CanaryVersion;
        Ticks(plot, steps);
        plot.Axes.Margins(bottom: 0);
        plot.Title("requests in each step's analysis window");
        plot.YLabel("requests");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }

    private static void Ticks(Plot plot, IReadOnlyList<RolloutStep> steps) =>
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            steps.Select((_, i) => (i * 3) + 0.5).ToArray(), steps.Select((s, i) => $"step {i + 1}: {s.Weight} %").ToArray());
}
