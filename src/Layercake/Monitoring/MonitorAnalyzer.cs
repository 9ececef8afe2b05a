using Layercake.Monitoring.Drift;
using Layercake.Monitoring.Estimation;
using Layercake.Monitoring.Internal;
using Layercake.Monitoring.Logs;
using Layercake.Monitoring.Quality;
using Layercake.Monitoring.Reports;
using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Calibration;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Profiles;

namespace Layercake.Monitoring;

/// <summary>
/// Compares a model version's logged production traffic with its training profile in one streaming pass: feature
/// drift per column and for the dataset, prediction drift, data quality, and live quality where feedback labels
/// exist, for the whole period and per time window. Memory is fixed per column and window (bins, category counts
/// and a reservoir of <see cref="DefaultSampleSize"/> values), whatever the size of the log.
/// </summary>
internal sealed class MonitorAnalyzer
{
    public const int DefaultSampleSize = 5000;

    /// <summary>Fewer labelled rows than this give live metrics but no verdict on them: too noisy to fail a build.</summary>
    public const int MinimumLabelledRows = 30;

    private readonly DataProfile _profile;
    private readonly ModelManifest _manifest;
    private readonly MonitoringSpec _spec;
    private readonly int _sampleSize;
    private readonly int _seed;
    private readonly MonitoredColumns _columns;

    /// <param name="specFile">The pipeline file the <paramref name="spec"/> came from, to locate errors in it.</param>
    public MonitorAnalyzer(DataProfile profile, ModelManifest manifest, MonitoringSpec spec, string specFile,
        int sampleSize = DefaultSampleSize, int seed = 42)
    {
        _profile = profile;
        _manifest = manifest;
        _spec = spec;
        _sampleSize = sampleSize;
        _seed = seed;
        _columns = MonitoredColumns.Plan(profile, manifest, spec, specFile);
        _calibration = manifest.Signature.Task == ModelTask.Regression ? null : manifest.Calibration;
    }

    private readonly ProbabilityCalibration? _calibration;

    private bool Regression => _manifest.Signature.Task == ModelTask.Regression;

    private string Model => _manifest.Pipeline;

    private string Version => _manifest.Version ?? "0.0.0";

    /// <summary>Reads the log once and returns the report; <paramref name="feedback"/> adds live quality.</summary>
    public async Task<MonitorReport> AnalyzeAsync(IReadOnlyList<string> files, DateTimeOffset? since, FeedbackLabels? feedback,
        DateTimeOffset generated, CancellationToken cancellationToken)
    {
        var (read, overall, windows, other, matched) = await ReadAsync(files, since, feedback, cancellationToken).ConfigureAwait(false);

        var columns =
            _columns.Numeric.Select(
            (plan, i) =>
            ColumnDriftMeasures.Numeric(plan.Name, plan.Summary, plan.SortedReference, plan.Rule, overall.Numeric[i], plan.ReferenceCount
            ?? _profile.Columns.First(c => c.Name == plan.Name).Count))
            .Concat(_columns.Categorical.Select(
                (plan, i) => ColumnDriftMeasures.Categorical(plan.Name, plan.Categories, plan.Rule, overall.Categorical[i])))
            .ToArray();
        var drifted = columns.Count(c => c.Drifted);
        var share = columns.Length == 0 ? 0 : (double)drifted / columns.Length;
        var dataset =
            new DatasetDrift(drifted, columns.Length, share, _spec.DriftShare, overall.Rows > 0 && columns.Length > 0
            && share >= _spec.DriftShare);
        var prediction = overall.Rows == 0 ? null : PredictionDrift(overall);
        var quality = DataQualityChecks.For(overall, columns, _spec.Quality);
        var live = feedback is null ? null
            : LiveQualityEvaluation.Evaluate(overall.Live, feedback.Count - matched, _manifest, MinimumLabelledRows);
        var summaries = windows.OrderBy(w => w.Key).Select(w => Summarise(w.Value)).ToArray();
        var estimated = _calibration is null ? null : PerformanceEstimation.Overall(overall, _calibration, _manifest);
        var breaches = Breaches(dataset, columns, prediction, quality, live, estimated);
        var notChecked = NotChecked(estimated, overall.Rows);

        var log =
            new LogSummary(read.Files, read.Lines, overall.Rows, overall.Requests, overall.Rejected, read.BeforeSince, other,
            read.Unreadable, read.FirstUnreadable, read.IncompleteLastLines,
            overall.RejectedRows, overall.RejectedRowsByReason.OrderByDescending(r => r.Value)
                .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal));
        return new MonitorReport(Model, Version, generated, since, overall.First, overall.Last, FormatWindow(_spec.Window),
            breaches.Count == 0, breaches, log,
            dataset, columns, prediction, quality, live, summaries, notChecked, estimated);
    }

    /// <summary>
    /// The one streaming pass: this model version's rows into the whole period's and their window's statistics,
    /// other versions' rows counted, and feedback labels matched by request id.
    /// </summary>
    private async Task<(PredictionLogReadSummary Read, WindowStats Overall, Dictionary<long, WindowStats> Windows, Dictionary<string,
        long> Other,
        long Matched)> ReadAsync(
        IReadOnlyList<string> files, DateTimeOffset? since, FeedbackLabels? feedback, CancellationToken cancellationToken)
    {
        // A date part's slot is filled from its date input, never matched by name (a CSV header cannot hold a NUL).
        var reader =
            new PredictionLogReader(_columns.Numeric.Select(n => n.DateColumn is null ? n.Name : "\0" + n.Name).ToArray(),
            _columns.Categorical.Select(c => c.Name).ToArray(), readRequestIds: feedback is not null,
            classes: _calibration is null ? null : _manifest.Signature.Classes, dates: _columns.Dates(_manifest));
        var overall = NewStats(DateTimeOffset.MinValue);
        var windows = new Dictionary<long, WindowStats>();
        var other = new Dictionary<string, long>(StringComparer.Ordinal);
        var windowTicks = _spec.Window.Ticks;
        WindowStats? current = null;
        var currentIndex = long.MinValue;
        long matched = 0;
        var read = await reader.ReadAsync(files, since, row =>
        {
            if (!ReferenceEquals(row.Model, Model) && row.Model != Model || row.Version != Version)
            {
                var key = $"{row.Model} {row.Version}";
                other[key] = other.GetValueOrDefault(key) + 1;
                return;
            }

            var index = row.Time.UtcTicks / windowTicks;
            if (index != currentIndex)
            {
                if (!windows.TryGetValue(index, out current))
                {
                    current = NewStats(new DateTimeOffset(index * windowTicks, TimeSpan.Zero));
                    windows[index] = current;
                }

                currentIndex = index;
            }

            string? label = null;
            if (feedback is not null && !row.Rejected && row.RequestId is { } id && feedback.TryGet(id, row.Row, out var known))
            {
                label = known;
                matched++;
            }

            current!.Add(row, label);
            overall.Add(row, label);
        }, cancellationToken).ConfigureAwait(false);
        return (read, overall, windows, other, matched);
    }

    private List<string> Breaches(
        DatasetDrift dataset, ColumnDrift[] columns, ColumnDrift? prediction, IReadOnlyList<QualityCheck> quality, LiveQuality? live,
        EstimatedPerformance? estimated)
    {
        var breaches = new List<string>();
        if (dataset.Drifted)
        {
            breaches.Add(
                $"dataset drift: {dataset.DriftedColumns} of {columns.Length} columns drifted (share {dataset.Share:0.##} ≥ " +
                $"{_spec.DriftShare:0.##}): {string.Join(", ", columns.Where(c => c.Drifted).Select(c => c.Column))}");
        }

        if (prediction is { Drifted: true })
        {
            breaches.Add($"prediction drift: {prediction.Test} {ColumnDriftMeasures.Describe(prediction)}; {prediction.Detail}");
        }

        breaches.AddRange(quality.Where(q => q.Breached)
            .Select(q => $"data quality: {q.Check} rate of {q.Column} is {q.Value:0.###}, above {q.Limit:0.###}"));
        if (live is not null && live.LabelledRows >= MinimumLabelledRows)
        {
            breaches.AddRange(live.Metrics.Where(m => m.Passed == false)
                .Select(m =>
                $"live quality: {m.Metric} = {m.Value:0.####} on {live.LabelledRows} labelled rows fails the gate '{m.Gate}' " +
                $"(cross-validated {m.CvMean:0.####})"));
        }

        if (estimated is { Trustworthy: true, Rows: >= MinimumLabelledRows })
        {
            breaches.AddRange(estimated.Metrics.Where(m => m.Passed == false).Select(m =>
                $"estimated performance: {m.Metric} estimated at {m.Value:0.####} (band {m.Lower:0.####}–{m.Upper:0.####}) on " +
                    $"{estimated.Rows} rows without labels fails the gate '{m.Gate}'"));
        }

        return breaches;
    }

    private List<string> NotChecked(EstimatedPerformance? estimated, long rows)
    {
        var notChecked = new List<string>(_columns.NotChecked);
        if (estimated is { Trustworthy: false })
        {
            notChecked.Add($"estimated performance (CBPE) is shown but not judged: not trustworthy for this model, {estimated.Reason}");
        }
        else if (_calibration is null && !Regression)
        {
            notChecked.Add(
                "estimated performance (CBPE): the manifest has no calibration check (packaged before Layercake estimated performance)");
        }

        if (rows == 0)
        {
            notChecked.Add($"no predictions of {Model} {Version} in the period: nothing to compare");
        }

        return notChecked;
    }

    public static string FormatWindow(TimeSpan window) =>
        window.TotalDays >= 7 && window.TotalDays % 7 == 0 ? $"{window.TotalDays / 7:0}w"
        : window.TotalHours >= 24 && window.TotalHours % 24 == 0 ? $"{window.TotalDays:0}d"
        : window.TotalMinutes >= 60 && window.TotalMinutes % 60 == 0 ? $"{window.TotalHours:0}h"
        : $"{window.TotalMinutes:0}m";

    private WindowStats NewStats(DateTimeOffset start) =>
        new(start, _columns.Numeric.Select(n => n.Summary).ToArray(), _columns.Categorical.Length, Regression
            ? (_profile.Predictions ?? _profile.Label).Numeric : null, Regression, _sampleSize, _seed,
            _calibration is null ? null : new PerformanceEstimator(_manifest.Signature.Classes, _calibration.Maps, _columns.Numeric.Length),
            _manifest.Signature.Task == ModelTask.Binary ? _manifest.Signature.Classes[1] : null);

    private ColumnDrift PredictionDrift(WindowStats stats)
    {
        var label = _profile.Predictions ?? _profile.Label;
        var drift = stats.PredictedValues is { } values && label.Numeric is { } summary
            ? ColumnDriftMeasures.Numeric(label.Name, summary, summary.ReferenceSample.Order().ToArray(), _columns.PredictionRule, values,
                label.Count)
            : ColumnDriftMeasures.Categorical(label.Name, label.Categories ?? new Dictionary<string, long>(), _columns.PredictionRule,
                stats.PredictedClasses!);
        return drift with { Column = $"prediction ({label.Name})" };
    }

    private WindowSummary Summarise(WindowStats stats)
    {
        var columns = new Dictionary<string, WindowColumn>(StringComparer.Ordinal);
        for (var i = 0; i < _columns.Numeric.Length; i++)
        {
            var plan = _columns.Numeric[i];
            var drift = ColumnDriftMeasures.Numeric(plan.Name, plan.Summary, plan.SortedReference, plan.Rule, stats.Numeric[i], 0);
            columns[plan.Name] = new WindowColumn(drift.Statistic, drift.Drifted, drift.Psi, drift.CurrentRows);
        }

        for (var i = 0; i < _columns.Categorical.Length; i++)
        {
            var plan = _columns.Categorical[i];
            var drift = ColumnDriftMeasures.Categorical(plan.Name, plan.Categories, plan.Rule, stats.Categorical[i]);
            columns[plan.Name] = new WindowColumn(drift.Statistic, drift.Drifted, drift.Psi, drift.CurrentRows);
        }

        var share = columns.Count == 0 ? 0 : (double)columns.Values.Count(c => c.Drifted) / columns.Count;
        var prediction = stats.Rows == 0 ? null : PredictionDrift(stats);
        return new WindowSummary(stats.Start, stats.Start + _spec.Window, stats.Rows, stats.Rejected, share, stats.Rows > 0
            && columns.Count > 0 && share >= _spec.DriftShare, columns,
            prediction is null ? null : new WindowColumn(prediction.Statistic, prediction.Drifted, prediction.Psi, prediction.CurrentRows),
            stats.Live.Labelled, stats.Live.Metrics(), _calibration is null ? null
                : PerformanceEstimation.Metrics(stats, _calibration, _manifest), stats.RejectedRows);
    }
}
