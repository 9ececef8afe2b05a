using System.Globalization;
using Layercake.Pipelines;
using Microsoft.Extensions.Logging;

namespace Layercake.Development.Training;

/// <summary>
/// Tries planned points one after another. Between two trials it stops when the run is cancelled (Ctrl+C) or the
/// wall-clock budget (<c>max_minutes</c>, read from the <see cref="TimeProvider"/>) is spent, and keeps every trial
/// that finished. Each trial is logged as it ends, with the best score so far.
/// </summary>
internal sealed class HyperparameterSearch(SearchSettings settings, TimeProvider time, ILogger logger)
{
    public SearchRun Run(
        string trainer,
        string metric,
        bool higherIsBetter,
        IReadOnlyList<IReadOnlyDictionary<string, double>> points,
        Func<IReadOnlyDictionary<string, double>, (IReadOnlyList<SplitScore> Splits, string? Error)> evaluate,
        CancellationToken cancellationToken,
        Action<SearchTrial>? finished = null)
    {
        var started = time.GetUtcNow();
        var trials = new List<SearchTrial>();
        var best = double.NaN;
        var stop = SearchStop.Completed;
        for (var i = 0; i < points.Count; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                stop = SearchStop.Cancelled;
                break;
            }

            if (settings.MaxMinutes is { } minutes && time.GetUtcNow() - started >= TimeSpan.FromMinutes(minutes))
            {
                stop = SearchStop.MaxMinutes;
                break;
            }

            var (splits, error) = evaluate(points[i]);
            var finite = splits.Select(s => s.Score).Where(double.IsFinite).ToArray();
            var score = finite.Length == splits.Count && finite.Length > 0 ? finite.Average() : double.NaN;
            var trial = new SearchTrial(i + 1, points[i], splits, score, splits.Sum(s => s.Seconds)) { Error = error };
            trials.Add(trial);
            finished?.Invoke(trial);
            if (double.IsFinite(score) && (double.IsNaN(best) || (higherIsBetter ? score > best : score < best)))
            {
                best = score;
            }

            logger.LogInformation(
                "[{Trainer} search {Trial}/{Planned}] {Parameters}: inner {Metric} = {Score:F4} (best {Best:F4}, {Seconds:F1} s){Error}",
                trainer, trial.Trial, points.Count, Describe(trial.Parameters), metric, score, best, trial.Seconds, error is null ? "" : $"; failed: {error}");
        }

        if (stop != SearchStop.Completed)
        {
            logger.LogWarning("{Trainer}: search stopped after {Done} of {Planned} trials ({Reason})", trainer, trials.Count, points.Count,
                stop == SearchStop.Cancelled ? "cancelled" : $"max_minutes {settings.MaxMinutes?.ToString(CultureInfo.InvariantCulture)} reached");
        }

        return new SearchRun(trials, points.Count, stop);
    }

    /// <summary>The index of the best trial on one split; ties and failed fits go to the earlier, NaN never wins.</summary>
    public static int Best(IReadOnlyList<SearchTrial> trials, int split, bool higherIsBetter)
    {
        var best = -1;
        for (var i = 0; i < trials.Count; i++)
        {
            var score = trials[i].Splits[split].Score;
            if (!double.IsFinite(score))
            {
                continue;
            }

            if (best < 0 || (higherIsBetter ? score > trials[best].Splits[split].Score : score < trials[best].Splits[split].Score))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>The index of the trial with the best mean over its splits (failed ones excluded), or -1.</summary>
    public static int BestMean(IReadOnlyList<SearchTrial> trials, bool higherIsBetter)
    {
        var best = -1;
        for (var i = 0; i < trials.Count; i++)
        {
            if (double.IsFinite(trials[i].Score) && (best < 0 || (higherIsBetter ? trials[i].Score > trials[best].Score : trials[i].Score < trials[best].Score)))
            {
                best = i;
            }
        }

        return best;
    }

    public static string Describe(IReadOnlyDictionary<string, double> parameters) =>
        string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
}
