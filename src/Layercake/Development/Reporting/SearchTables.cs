using System.Globalization;
using Layercake.Development.Training;
using Layercake.Development.Training.Search;
using Layercake.Shared.Reporting;

namespace Layercake.Development.Reporting;

/// <summary>The hyper-parameter search as Markdown: the note that says how searched scores were made, and its tables.</summary>
public static class SearchTables
{
    public static bool Any(CrossValidationReport cv) => cv.Candidates.Any(c => c.Search is not null);

    /// <summary>What a searched candidate's score is, for the leaderboard's header; empty when nothing was searched.</summary>
    public static string Note(CrossValidationReport cv) => Any(cv)
        ? $"Searched candidates are scored by nested cross-validation: each of the {cv.Folds} outer folds is scored with the parameters " +
            $"its own search chose on a holdout of that fold's training rows, never on the rows it is scored on; the parameters shown " +
            $"are the final model's, the trial with the best mean over all the holdouts."
        : "";

    /// <summary>Per searched candidate: its trials, what the final model takes, the inner best against the outer (nested) score.</summary>
    public static string Summary(CrossValidationReport cv)
    {
        var rows = cv.Ranked().Where(c => c.Search is not null).Select(c =>
        {
            var s = c.Search!;
            var outer = c.Metrics[cv.PrimaryMetric].Mean;
            return (IReadOnlyList<string>)
            [
                c.Name, s.Strategy, $"{Points(s)}/{s.Planned}{(s.Stop == SearchStop.Completed ? "" : $" ({Stop(s.Stop)})")}",
                HyperparameterSearch.Describe(c.Parameters), MetricText.Number(s.InnerBest), MetricText.Number(outer),
                MetricText.Number(cv.HigherIsBetter ? s.InnerBest - outer : outer - s.InnerBest),
            ];
        });
        return MarkdownTable.Render(
            ["candidate", "strategy", "trials", "chosen parameters (final model)", $"inner best {cv.PrimaryMetric}",
                $"outer {cv.PrimaryMetric} (nested)", "optimism of the inner best"],
            rows, new HashSet<int> { 2, 4, 5, 6 });
    }

    /// <summary>How many distinct points were tried (a point on several rungs of successive halving counts once).</summary>
    public static int Points(SearchOutcome search) => search.Trials.Select(t => t.Trial).Distinct().Count();

    /// <summary>
    /// One candidate's trials best first (the mean of its inner scores), those on the most rows first under
    /// successive halving, since scores on fewer rows are not comparable; failed trials last.
    /// </summary>
    public static string Trials(CandidateResult candidate, string metric, bool higherIsBetter)
    {
        var search = candidate.Search ?? throw new ArgumentException($"{candidate.Name} was not searched", nameof(candidate));
        var halving = search.Trials.Any(t => t.Share < 1);
        var rows = Ranked(search.Trials, higherIsBetter)
            .Select(t => (IReadOnlyList<string>)new[] { t.Trial.ToString(CultureInfo.InvariantCulture) }
            .Concat(halving ? [HyperparameterSearch.ShareText(t.Share)] : Array.Empty<string>())
            .Concat(search.Searched.Select(p => t.Parameters[p].ToString("G4", CultureInfo.InvariantCulture)))
            .Append(double.IsFinite(t.Score) ? MetricText.Number(t.Score) : $"failed: {t.Error}")
            .Append(t.Seconds.ToString("F1", CultureInfo.InvariantCulture)).ToArray());
        return MarkdownTable.Render(
            new[] { "trial" }.Concat(halving ? ["rows"] : Array.Empty<string>()).Concat(search.Searched)
                .Append($"inner {metric} (mean of {search.FoldParameters.Count + 1} splits)").Append("seconds").ToArray(),
            rows, Enumerable.Range(0, search.Searched.Count + (halving ? 4 : 3)).ToHashSet());
    }

    public static IEnumerable<SearchTrial> Ranked(IReadOnlyList<SearchTrial> trials, bool higherIsBetter) =>
        (higherIsBetter ? trials.OrderByDescending(t => t.Score) : trials.OrderBy(t => t.Score)).OrderBy(t => !double.IsFinite(t.Score))
            .ThenByDescending(t => t.Share);

    public static string Stop(SearchStop stop) => stop switch
    {
        SearchStop.MaxMinutes => "max_minutes reached",
        SearchStop.Cancelled => "cancelled",
        _ => "completed",
    };

    /// <summary>How the winner's parameters were chosen, for the manifest; null when they were fixed.</summary>
    public static string? Describe(CrossValidationReport cv) => cv.WinnerResult.Search is { } s
        ? $"{s.Strategy} search over {string.Join(", ", s.Searched)}: trial {s.BestTrial} of {Points(s)} ({Stop(s.Stop)}), best mean " +
            $"over the holdouts, inner {cv.PrimaryMetric} {MetricText.Number(s.InnerBest)}; the cross-validated figures are nested (" +
            $"{s.Validation})"
        : null;
}
