using Layercake.Monitoring.Drift;
using Layercake.Monitoring.Estimation;
using Layercake.Monitoring.Logs;
using Layercake.Monitoring.Quality;
using Layercake.Runtime.Profiles;

namespace Layercake.Monitoring;

/// <summary>Everything accumulated for one time window (or for the whole period): per column, predictions, feedback, rejections.</summary>
internal sealed class WindowStats
{
    /// <param name="estimator">CBPE for a classifier whose manifest carries a calibration check; null otherwise.</param>
    /// <param name="positiveClass">A binary model's positive class, for the realised f1.</param>
    public WindowStats(DateTimeOffset start, IReadOnlyList<NumericSummary> numeric, int categorical, NumericSummary? predictedValues,
        bool regression, int sampleSize, int seed,
        PerformanceEstimator? estimator = null, string? positiveClass = null)
    {
        Start = start;
        Numeric = numeric.Select((summary, i) => new NumericColumnStats(summary, sampleSize, SeedFor(seed, i, start))).ToArray();
        Categorical = Enumerable.Range(0, categorical).Select(_ => new CategoryColumnStats()).ToArray();
        PredictedValues = predictedValues is null ? null : new NumericColumnStats(predictedValues, sampleSize, SeedFor(seed, -1, start));
        PredictedClasses = predictedValues is null ? new CategoryColumnStats() : null;
        Live = new LiveQualityStats(regression, positiveClass);
        Estimator = estimator;
    }

    public DateTimeOffset Start { get; }
    public long Rows { get; private set; }
    public long Requests { get; private set; }
    public long Rejected { get; private set; }

    /// <summary>Rows of the rejected requests, a request whose size the server could not tell counting one.</summary>
    public long RejectedRows { get; private set; }

    /// <summary>Rejected rows by reason (RejectionReasons; "status N" from servers that wrote none).</summary>
    public Dictionary<string, long> RejectedRowsByReason { get; } = new(StringComparer.Ordinal);
    public DateTimeOffset? First { get; private set; }
    public DateTimeOffset? Last { get; private set; }
    public NumericColumnStats[] Numeric { get; }
    public CategoryColumnStats[] Categorical { get; }
    public NumericColumnStats? PredictedValues { get; }
    public CategoryColumnStats? PredictedClasses { get; }
    public LiveQualityStats Live { get; }
    public PerformanceEstimator? Estimator { get; }

    // Deterministic (unlike HashCode.Combine, which is randomised per process), so a report can be reproduced.
    private static int SeedFor(int seed, int column, DateTimeOffset start) =>
        unchecked((seed * 1_000_003) + (column * 7_919) + (int)(start.UtcTicks / TimeSpan.TicksPerMinute));

    public void Add(LogRow row, string? label)
    {
        First ??= row.Time;
        Last = row.Time;
        if (row.Rejected)
        {
            Rejected++;
            var rows = Math.Max(1, row.RejectedRows);
            RejectedRows += rows;
            var reason = row.Reason ?? $"status {row.Status}";
            RejectedRowsByReason[reason] = RejectedRowsByReason.GetValueOrDefault(reason) + rows;
            return;
        }

        Rows++;
        if (row.Row == 0)
        {
            Requests++;
        }

        for (var i = 0; i < Numeric.Length; i++)
        {
            Numeric[i].Add(row.Numbers[i]);
        }

        for (var i = 0; i < Categorical.Length; i++)
        {
            Categorical[i].Add(row.Categories[i]);
        }

        PredictedValues?.Add(row.PredictedValue);
        PredictedClasses?.Add(row.PredictedLabel);
        Estimator?.Add(row, label);
        if (label is not null)
        {
            Live.Add(row, label);
        }
    }
}
