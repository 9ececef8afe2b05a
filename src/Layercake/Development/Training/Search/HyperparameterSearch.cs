using System.Globalization;
using Layercake.Pipelines;
using Layercake.Pipelines.Trainers;
using Microsoft.Extensions.Logging;

namespace Layercake.Development.Training.Search;

/// <summary>
/// Tries planned points one after another. Between two trials it stops when the run is cancelled (Ctrl+C) or the
/// wall-clock budget (<c>max_minutes</c>, read from the <see cref="TimeProvider"/>) is spent, and keeps every trial
/// that finished. Each trial is logged as it ends, with the best score so far. Successive halving runs every point
/// on a small share of the training rows first and promotes the best third to three times the rows, up to all.
/// </summary>
internal sealed class HyperparameterSearch(SearchSettings settings, TimeProvider time, ILogger logger)
{
    /// <summary>Successive halving keeps one trial in this many per rung, and gives the next rung this many times the rows.</summary>
    public const int Factor = 3;

    /// <summary>At most this many rungs, so the first still fits on a ninth of the rows.</summary>
    public const int MaxRungs = 3;

    public SearchRun Run(
        string trainer,
        string metric,
        bool higherIsBetter,
        IReadOnlyList<IReadOnlyDictionary<string, double>> points,
        Func<IReadOnlyDictionary<string, double>, double, (IReadOnlyList<SplitScore> Splits, string? Error)> evaluate,
        CancellationToken cancellationToken,
        Action<SearchTrial>? finished = null)
    {
        var started = time.GetUtcNow();
        var trials = new List<SearchTrial>();
        var best = double.NaN;
        var stop = SearchStop.Completed;
        var shares = Shares(settings.Strategy, points.Count);
        var total = Enumerable.Range(0, shares.Count).Sum(r => Promoted(points.Count, r));
        var running = Enumerable.Range(0, points.Count).ToList();
        for (var rung = 0; rung < shares.Count && stop == SearchStop.Completed; rung++)
        {
            var share = shares[rung];
            foreach (var index in running)
            {
                if (StopBefore(started, cancellationToken) is { } reason)
                {
                    stop = reason;
                    break;
                }

                var trial = Evaluate(index, points[index], share, evaluate);
                var (score, error) = (trial.Score, trial.Error);
                trials.Add(trial);
                finished?.Invoke(trial);
                if (share == shares[^1] && double.IsFinite(score) && (double.IsNaN(best) || (higherIsBetter ? score > best : score < best)))
                {
                    best = score;
                }

                logger.LogInformation(
                    "[{Trainer} search {Done}/{Total}] {Parameters}{Share}: inner {Metric} = {Score:F4} (best {Best:F4}, {Seconds:F1} " +
                        "s){Error}",
                    trainer, trials.Count, total, Describe(trial.Parameters), share < 1 ? $" on {ShareText(share)} of the training rows"
                        : "",
                    metric, score, best, trial.Seconds, error is null ? "" : $"; failed: {error}");
            }

            // The best third (failed fits last, ties to the earlier point) goes on to three times the rows.
            var ranked = trials.Where(t => t.Share == share).OrderBy(t => double.IsFinite(t.Score) ? 0 : 1)
                .ThenBy(t => higherIsBetter ? -t.Score : t.Score).ThenBy(t => t.Trial);
            running = ranked.Take(Promoted(points.Count, rung + 1)).Select(t => t.Trial - 1).Order().ToList();
        }

        if (stop != SearchStop.Completed)
        {
            logger.LogWarning("{Trainer}: search stopped after {Done} of {Planned} trials ({Reason})", trainer, trials.Count, total,
                stop == SearchStop.Cancelled ? "cancelled"
                    : $"max_minutes {settings.MaxMinutes?.ToString(CultureInfo.InvariantCulture)} reached");
        }

        return new SearchRun(trials, points.Count, stop);
    }

    /// <summary>Why the search stops before its next trial (cancelled, or out of time), or null to go on.</summary>
    private SearchStop? StopBefore(DateTimeOffset started, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return SearchStop.Cancelled;
        }

        return settings.MaxMinutes is { } minutes && time.GetUtcNow() - started >= TimeSpan.FromMinutes(minutes)
            ? SearchStop.MaxMinutes
            : null;
    }

    /// <summary>One trial, scored by its mean over the splits: a failed split fails the trial (NaN).</summary>
    private static SearchTrial Evaluate(
        int index,
        IReadOnlyDictionary<string, double> point,
        double share,
        Func<IReadOnlyDictionary<string, double>, double, (IReadOnlyList<SplitScore> Splits, string? Error)> evaluate)
    {
        var (splits, error) = evaluate(point, share);
        var finite = splits.Select(s => s.Score).Where(double.IsFinite).ToArray();
        var score = finite.Length == splits.Count && finite.Length > 0 ? finite.Average() : double.NaN;
        return new SearchTrial(index + 1, point, splits, score, splits.Sum(s => s.Seconds)) { Error = error, Share = share };
    }

    /// <summary>The share of the training rows each rung fits on: all of them, except under successive halving.</summary>
    public static IReadOnlyList<double> Shares(SearchStrategy strategy, int points)
    {
        if (strategy != SearchStrategy.Halving)
        {
            return [1.0];
        }

        var rungs = 1;
        while (rungs < MaxRungs && Promoted(points, rungs) > 1)
        {
            rungs++;
        }

        return Enumerable.Range(0, rungs).Select(r => 1 / Math.Pow(Factor, rungs - 1 - r)).ToArray();
    }

    /// <summary>How many points reach rung <paramref name="rung"/>: a third of the previous rung's, rounded up.</summary>
    private static int Promoted(int points, int rung)
    {
        var count = points;
        for (var r = 0; r < rung; r++)
        {
            count = (count + Factor - 1) / Factor;
        }

        return count;
    }

    /// <summary>
    /// The index of the best trial on one split among those fitted on the most rows any finished; ties and failed
    /// fits go to the earlier, NaN never wins. -1 when none finished.
    /// </summary>
    public static int Best(IReadOnlyList<SearchTrial> trials, int split, bool higherIsBetter) =>
        BestBy(trials, t => t.Splits[split].Score, higherIsBetter);

    /// <summary>The index of the trial with the best mean over its splits, among those fitted on the most rows; or -1.</summary>
    public static int BestMean(IReadOnlyList<SearchTrial> trials, bool higherIsBetter) => BestBy(trials, t => t.Score, higherIsBetter);

    private static int BestBy(IReadOnlyList<SearchTrial> trials, Func<SearchTrial, double> score, bool higherIsBetter)
    {
        var finished = trials.Where(t => double.IsFinite(score(t))).ToArray();
        if (finished.Length == 0)
        {
            return -1;
        }

        var share = finished.Max(t => t.Share);
        var best = -1;
        for (var i = 0; i < trials.Count; i++)
        {
            var value = score(trials[i]);
            if (trials[i].Share != share || !double.IsFinite(value))
            {
                continue;
            }

            if (best < 0 || (higherIsBetter ? value > score(trials[best]) : value < score(trials[best])))
            {
                best = i;
            }
        }

        return best;
    }

    public static string ShareText(double share) => share >= 1 ? "all"
        : $"1/{Math.Round(1 / share).ToString(CultureInfo.InvariantCulture)}";

    public static string Describe(IReadOnlyDictionary<string, double> parameters) =>
        string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
}
