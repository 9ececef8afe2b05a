using System.Globalization;
using System.Text;
using Layercake.Development.Experiments.Store;
using Layercake.Shared.Reporting;

namespace Layercake.Development.Experiments.Comparison;

/// <summary>
/// What changed between two runs, as DVC's <c>params diff</c> and <c>metrics diff</c>: candidates' parameters, the
/// pipeline's keys, the data (hash and rows), and every metric's change with each run's fold spread.
/// </summary>
public sealed record RunComparison(
    ExperimentRun Old,
    ExperimentRun New,
    IReadOnlyList<ParameterChange> Parameters,
    IReadOnlyList<(string Key, string? Old, string? New)> PipelineKeys,
    IReadOnlyList<MetricDelta> Metrics)
{
    public bool DataChanged => Old.DataSha256 != New.DataSha256;

    /// <summary>Whether the metric tables show unchanged rows too; by default they show only what changed.</summary>
    public bool ShowUnchanged { get; init; }

    /// <summary>The metric rows the tables show: the changed ones, or all of them with <see cref="ShowUnchanged"/>.</summary>
    public IReadOnlyList<MetricDelta> ShownMetrics => ShowUnchanged ? Metrics : Metrics.Where(m => m.Verdict != "unchanged").ToArray();

    /// <summary>A line saying how many unchanged metric rows the tables leave out; empty when none are.</summary>
    public string HiddenNote => (Metrics.Count - ShownMetrics.Count) switch
    {
        0 => "",
        1 => "1 unchanged metric row is not shown.",
        var n => string.Create(CultureInfo.InvariantCulture, $"{n} unchanged metric rows are not shown."),
    };

    public string Title => $"{Old.Id} → {New.Id}";

    public string Markdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Runs: {Describe(Old)} → {Describe(New)}\n\n");
        text.Append(DataChanged
            ? $"Data changed: sha256 {Short(Old.DataSha256)} → {Short(New.DataSha256)}, rows {Rows(Old)} → {Rows(New)}.\n\n"
            : $"Data unchanged: sha256 {Short(New.DataSha256)}, {Rows(New)} rows.\n\n");
        text.Append("Parameters:\n\n").Append(Parameters.Count == 0 ? "No parameter changed.\n" : MarkdownTable.Render(
            ["candidate", "parameter", "old", "new"],
                Parameters.Select(p => (IReadOnlyList<string>)[p.Candidate, p.Parameter, p.Old ?? "—", p.New ?? "—"])));
        text.Append("\nPipeline keys changed:\n\n").Append(PipelineKeys.Count == 0 ? "None.\n" : MarkdownTable.Render(
            ["key", "old", "new"], PipelineKeys.Select(k => (IReadOnlyList<string>)[k.Key, Cell(k.Old), Cell(k.New)])));
        text.Append("\nMetrics (mean ± std over folds; a change within either run's fold spread may be noise):\n\n")
            .Append(ShownMetrics.Count == 0 ? "No metric changed.\n" : MetricsTable());
        if (HiddenNote.Length > 0)
        {
            text.Append('\n').Append(HiddenNote).Append('\n');
        }

        return text.ToString();
    }

    public string MetricsTable() => MarkdownTable.Render(
        ["candidate", "metric", "old", "new", "change", ""],
        ShownMetrics.Select(m => (IReadOnlyList<string>)
        [
            m.Candidate, m.Metric,
            m.Old is { } o ? MetricText.MeanStd(o.Mean, o.StdDev) : "—",
            m.New is { } n ? MetricText.MeanStd(n.Mean, n.StdDev) : "—",
            m.Change is { } c ? MetricText.Signed(c) : "—",
            m.Verdict,
        ]),
        new HashSet<int> { 2, 3, 4 });

    private static string Describe(ExperimentRun run) =>
        $"{run.Id} ({RunListing.Outcome(run)}{(run.Winner is null ? "" : $", winner {run.Winner}")}, commit " +
            $"{run.GitCommit[..Math.Min(8, run.GitCommit.Length)]}{(run.GitDirty ? "+dirty" : "")})";

    private static string Short(string? sha) => sha is null ? "unreadable" : sha[..Math.Min(12, sha.Length)];

    private static string Rows(ExperimentRun run) => run.DataRows?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Cell(string? value) => value is null ? "—" : value.Replace("|", "\\|", StringComparison.Ordinal);
}
