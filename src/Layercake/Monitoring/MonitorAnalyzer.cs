using System.Globalization;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Profiles;

namespace Layercake.Monitoring;

/// <summary>
/// Compares a model version's logged production traffic with its training profile in one streaming pass: feature
/// drift per column and for the dataset, prediction drift, data quality, and live quality where feedback labels
/// exist, for the whole period and per time window. Memory is fixed per column and window (bins, category counts
/// and a reservoir of <see cref="DefaultSampleSize"/> values), whatever the size of the log.
/// </summary>
public sealed class MonitorAnalyzer
{
    public const int DefaultSampleSize = 5000;

    /// <summary>Fewer labelled rows than this give live metrics but no verdict on them: too noisy to fail a build.</summary>
    public const int MinimumLabelledRows = 30;

    private const int MaxHistogramCategories = 20;

    private readonly DataProfile _profile;
    private readonly ModelManifest _manifest;
    private readonly MonitoringSpec _spec;
    private readonly int _sampleSize;
    private readonly int _seed;
    private readonly NumericPlan[] _numeric;
    private readonly CategoricalPlan[] _categorical;
    private readonly DriftRule _predictionRule;
    private readonly List<string> _notChecked = [];

    /// <param name="specFile">The pipeline file the <paramref name="spec"/> came from, to locate errors in it.</param>
    public MonitorAnalyzer(DataProfile profile, ModelManifest manifest, MonitoringSpec spec, string specFile, int sampleSize = DefaultSampleSize, int seed = 42)
    {
        _profile = profile;
        _manifest = manifest;
        _spec = spec;
        _sampleSize = sampleSize;
        _seed = seed;
        var inputs = manifest.Signature.Inputs.Select(i => i.Column).ToHashSet(StringComparer.Ordinal);
        var numeric = new List<NumericPlan>();
        var categorical = new List<CategoricalPlan>();
        foreach (var column in profile.Columns.Where(c => inputs.Contains(c.Name)))
        {
            if (column is { Kind: FeatureKind.Numeric, Numeric: { } summary })
            {
                numeric.Add(new NumericPlan(column.Name, summary, summary.ReferenceSample.Order().ToArray(), Rule(column.Name, column.Kind, specFile)));
            }
            else if (column is { Kind: FeatureKind.Categorical, Categories: { } categories })
            {
                categorical.Add(new CategoricalPlan(column.Name, categories, Rule(column.Name, column.Kind, specFile)));
            }
            else
            {
                _notChecked.Add($"{column.Name}: {column.Kind.ToString().ToLowerInvariant()} columns are not tested for drift");
            }
        }

        var known = numeric.Select(n => n.Name).Concat(categorical.Select(c => c.Name)).Append(profile.Label.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, column) in spec.Columns)
        {
            if (!known.Contains(name))
            {
                throw new PipelineSpecException(specFile, column.Location, $"monitoring.columns.{name}",
                    $"the model has no numeric or categorical input '{name}'; its columns are: {string.Join(", ", known)}");
            }
        }

        _numeric = numeric.ToArray();
        _categorical = categorical.ToArray();
        _predictionRule = Rule(profile.Label.Name, Regression ? FeatureKind.Numeric : FeatureKind.Categorical, specFile);
    }

    private bool Regression => _manifest.Signature.Task == ModelTask.Regression;

    private string Model => _manifest.Pipeline;

    private string Version => _manifest.Version ?? "0.0.0";

    /// <summary>Reads the log once and returns the report; <paramref name="feedback"/> adds live quality.</summary>
    public async Task<MonitorReport> AnalyzeAsync(IReadOnlyList<string> files, DateTimeOffset? since, FeedbackLabels? feedback, DateTimeOffset generated, CancellationToken cancellationToken)
    {
        var reader = new PredictionLogReader(_numeric.Select(n => n.Name).ToArray(), _categorical.Select(c => c.Name).ToArray(), readRequestIds: feedback is not null);
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

        var columns = _numeric.Select((plan, i) => NumericDrift(plan.Name, plan.Summary, plan.SortedReference, plan.Rule, overall.Numeric[i], _profile.Columns.First(c => c.Name == plan.Name).Count))
            .Concat(_categorical.Select((plan, i) => CategoricalDrift(plan.Name, plan.Categories, plan.Rule, overall.Categorical[i])))
            .ToArray();
        var drifted = columns.Count(c => c.Drifted);
        var share = columns.Length == 0 ? 0 : (double)drifted / columns.Length;
        var dataset = new DatasetDrift(drifted, columns.Length, share, _spec.DriftShare, overall.Rows > 0 && columns.Length > 0 && share >= _spec.DriftShare);
        var prediction = overall.Rows == 0 ? null : PredictionDrift(overall);
        var quality = Quality(overall, columns);
        var live = feedback is null ? null : Live(overall, feedback.Count - matched);
        var summaries = windows.OrderBy(w => w.Key).Select(w => Summarise(w.Value)).ToArray();

        var breaches = new List<string>();
        if (dataset.Drifted)
        {
            breaches.Add($"dataset drift: {drifted} of {columns.Length} columns drifted (share {share:0.##} ≥ {_spec.DriftShare:0.##}): {string.Join(", ", columns.Where(c => c.Drifted).Select(c => c.Column))}");
        }

        if (prediction is { Drifted: true })
        {
            breaches.Add($"prediction drift: {prediction.Test} {Describe(prediction)}; {prediction.Detail}");
        }

        breaches.AddRange(quality.Where(q => q.Breached).Select(q => $"data quality: {q.Check} rate of {q.Column} is {q.Value:0.###}, above {q.Limit:0.###}"));
        if (live is not null && live.LabelledRows >= MinimumLabelledRows)
        {
            breaches.AddRange(live.Metrics.Where(m => m.Passed == false).Select(m => $"live quality: {m.Metric} = {m.Value:0.####} on {live.LabelledRows} labelled rows fails the gate '{m.Gate}' (cross-validated {m.CvMean:0.####})"));
        }

        var notChecked = new List<string>(_notChecked);
        if (overall.Rows == 0)
        {
            notChecked.Add($"no predictions of {Model} {Version} in the period: nothing to compare");
        }

        var log = new LogSummary(read.Files, read.Lines, overall.Rows, overall.Requests, overall.Rejected, read.BeforeSince, other, read.Unreadable, read.FirstUnreadable, read.IncompleteLastLines);
        return new MonitorReport(Model, Version, generated, since, overall.First, overall.Last, FormatWindow(_spec.Window), breaches.Count == 0, breaches, log,
            dataset, columns, prediction, quality, live, summaries, notChecked);
    }

    public static string FormatWindow(TimeSpan window) =>
        window.TotalDays >= 7 && window.TotalDays % 7 == 0 ? $"{window.TotalDays / 7:0}w"
        : window.TotalHours >= 24 && window.TotalHours % 24 == 0 ? $"{window.TotalDays:0}d"
        : window.TotalMinutes >= 60 && window.TotalMinutes % 60 == 0 ? $"{window.TotalHours:0}h"
        : $"{window.TotalMinutes:0}m";

    private static string Describe(ColumnDrift drift) =>
        drift.Test is "ks" or "chisquare"
            ? $"p = {drift.Statistic.ToString("0.####", CultureInfo.InvariantCulture)} {(drift.Drifted ? "<" : "≥")} {drift.Threshold.ToString(CultureInfo.InvariantCulture)}"
            : $"{drift.Statistic.ToString("0.####", CultureInfo.InvariantCulture)} {(drift.Drifted ? "≥" : "<")} {drift.Threshold.ToString(CultureInfo.InvariantCulture)}";

    private WindowStats NewStats(DateTimeOffset start) =>
        new(start, _numeric.Select(n => n.Summary).ToArray(), _categorical.Length, Regression ? (_profile.Predictions ?? _profile.Label).Numeric : null, Regression, _sampleSize, _seed);

    private DriftRule Rule(string column, FeatureKind kind, string specFile)
    {
        var rule = DriftRule.Default(kind, _profile.Rows);
        if (!_spec.Columns.TryGetValue(column, out var custom))
        {
            return rule;
        }

        var method = custom.Method ?? rule.Method;
        if (DriftRule.Unsupported(method, kind) is { } reason)
        {
            throw new PipelineSpecException(specFile, custom.Location, $"monitoring.columns.{column}.test", reason);
        }

        var threshold = custom.Threshold ?? (custom.Method is null ? rule.Threshold : DriftRule.DefaultThreshold(method));
        if (new DriftRule(method, threshold).IsPValue && threshold > 1)
        {
            throw new PipelineSpecException(specFile, custom.Location, $"monitoring.columns.{column}.threshold", $"{method.Name()} compares a p-value, so its threshold is from 0 to 1; found {threshold.ToString(CultureInfo.InvariantCulture)}");
        }

        return new DriftRule(method, threshold);
    }

    private static ColumnDrift NumericDrift(string name, NumericSummary reference, double[] sortedReference, DriftRule rule, NumericColumnStats current, long referenceRows)
    {
        var sorted = current.Sample.Sorted();
        var referenceBins = reference.HistogramCounts.Select(c => (double)c).ToArray();
        var currentBins = current.Bins.Select(c => (double)c).ToArray();
        var statistic = Statistic(rule, sortedReference, sorted, reference.StdDev, referenceBins, currentBins);
        var psi = current.Present == 0 ? double.NaN : DriftStatistics.Psi(referenceBins, currentBins);
        var mean = current.Present == 0 ? double.NaN : current.Sum / current.Present;
        var edges = reference.HistogramEdges;
        var labels = Enumerable.Range(0, currentBins.Length).Select(i => edges.Count > i ? edges[i].ToString("G4", CultureInfo.InvariantCulture) : i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new ColumnDrift(name, "numeric", rule.Method.Name(), statistic, rule.Threshold, rule.IsDrift(statistic), psi, referenceRows, current.Present,
            Rate(current.Missing, current.Total), Rate(current.OutOfRange, current.Present), null,
            current.Present == 0 ? "no values" : $"mean {mean.ToString("G4", CultureInfo.InvariantCulture)} (training {reference.Mean.ToString("G4", CultureInfo.InvariantCulture)} ± {reference.StdDev.ToString("G3", CultureInfo.InvariantCulture)})",
            new ColumnHistogram(labels, Shares(referenceBins), Shares(currentBins)));
    }

    private static double Statistic(DriftRule rule, double[] sortedReference, double[] sortedCurrent, double referenceStd, double[] referenceBins, double[] currentBins)
    {
        if (sortedCurrent.Length == 0)
        {
            return double.NaN;
        }

        return rule.Method switch
        {
            DriftMethod.KolmogorovSmirnov => DriftStatistics.KolmogorovSmirnovPValue(DriftStatistics.KolmogorovSmirnovStatistic(sortedReference, sortedCurrent), sortedReference.Length, sortedCurrent.Length),
            DriftMethod.Wasserstein => DriftStatistics.NormalisedWasserstein(sortedReference, sortedCurrent, referenceStd),
            DriftMethod.JensenShannon => DriftStatistics.JensenShannon(referenceBins, currentBins),
            DriftMethod.Psi => DriftStatistics.Psi(referenceBins, currentBins),
            _ => throw new InvalidOperationException($"{rule.Method} does not apply to numbers"),
        };
    }

    private static ColumnDrift CategoricalDrift(string name, IReadOnlyDictionary<string, long> reference, DriftRule rule, CategoryColumnStats current)
    {
        var (keys, referenceCounts, currentCounts) = Aligned(reference, current.Counts);
        var statistic = current.Present == 0 ? double.NaN : rule.Method switch
        {
            DriftMethod.ChiSquare => DriftStatistics.ChiSquare(referenceCounts, currentCounts).PValue,
            DriftMethod.JensenShannon => DriftStatistics.JensenShannon(referenceCounts, currentCounts),
            DriftMethod.Psi => DriftStatistics.Psi(referenceCounts, currentCounts),
            _ => throw new InvalidOperationException($"{rule.Method} does not apply to categories"),
        };
        var psi = current.Present == 0 ? double.NaN : DriftStatistics.Psi(referenceCounts, currentCounts);
        var unseen = current.Unseen(reference).OrderByDescending(u => u.Value).ToArray();
        var referenceShares = Shares(referenceCounts);
        var currentShares = Shares(currentCounts);
        string detail;
        if (current.Present == 0)
        {
            detail = "no values";
        }
        else if (unseen.Length > 0)
        {
            detail = $"never seen in training: {string.Join(", ", unseen.Take(5).Select(u => $"'{u.Key}' ({u.Value})"))}{(unseen.Length > 5 ? $" and {unseen.Length - 5} more" : "")}";
        }
        else
        {
            var moved = Enumerable.Range(0, keys.Length).MaxBy(i => Math.Abs(currentShares[i] - referenceShares[i]));
            detail = $"largest change: '{keys[moved]}' {currentShares[moved]:P0} (training {referenceShares[moved]:P0})";
        }

        var top = Enumerable.Range(0, keys.Length).OrderByDescending(i => Math.Max(referenceShares[i], currentShares[i])).Take(MaxHistogramCategories).ToArray();
        return new ColumnDrift(name, "categorical", rule.Method.Name(), statistic, rule.Threshold, rule.IsDrift(statistic), psi, (long)referenceCounts.Sum(), current.Present,
            Rate(current.Missing, current.Total), null, Rate(unseen.Sum(u => u.Value), current.Present), detail,
            new ColumnHistogram(top.Select(i => keys[i]).ToArray(), top.Select(i => referenceShares[i]).ToArray(), top.Select(i => currentShares[i]).ToArray()));
    }

    private ColumnDrift PredictionDrift(WindowStats stats)
    {
        var label = _profile.Predictions ?? _profile.Label;
        var drift = stats.PredictedValues is { } values && label.Numeric is { } summary
            ? NumericDrift(label.Name, summary, summary.ReferenceSample.Order().ToArray(), _predictionRule, values, label.Count)
            : CategoricalDrift(label.Name, label.Categories ?? new Dictionary<string, long>(), _predictionRule, stats.PredictedClasses!);
        return drift with { Column = $"prediction ({label.Name})" };
    }

    private List<QualityCheck> Quality(WindowStats overall, IReadOnlyList<ColumnDrift> columns)
    {
        var limits = _spec.Quality;
        var checks = new List<QualityCheck>();
        if (overall.Rows == 0 && overall.Rejected == 0)
        {
            return checks;
        }

        foreach (var column in columns)
        {
            checks.Add(new QualityCheck("missing", column.Column, column.MissingRate, limits.MaxMissingRate, column.MissingRate > limits.MaxMissingRate));
            if (column.OutOfRangeRate is { } outside)
            {
                checks.Add(new QualityCheck("out_of_range", column.Column, outside, limits.MaxOutOfRangeRate, outside > limits.MaxOutOfRangeRate));
            }

            if (column.UnseenCategoryRate is { } unseen)
            {
                checks.Add(new QualityCheck("unseen_category", column.Column, unseen, limits.MaxUnseenCategoryRate, unseen > limits.MaxUnseenCategoryRate));
            }
        }

        var rejected = Rate(overall.Rejected, overall.Requests + overall.Rejected);
        checks.Add(new QualityCheck("rejected", "(requests)", rejected, limits.MaxRejectedRate, rejected > limits.MaxRejectedRate));
        return checks;
    }

    private LiveQuality Live(WindowStats overall, long unmatched)
    {
        var values = overall.Live.Metrics();
        var cv = _manifest.CrossValidation.GetValueOrDefault(_manifest.Trainer);
        var metrics = new List<LiveMetric>();
        foreach (var name in LiveMetricNames())
        {
            if (!values.TryGetValue(name, out var value))
            {
                continue;
            }

            var estimate = cv?.GetValueOrDefault(name);
            var gate = _manifest.Gates.FirstOrDefault(g => g.Metric == name);
            metrics.Add(new LiveMetric(name, value, estimate?.Mean, estimate?.StdDev, gate?.Gate, gate is null ? null : gate.IsMetBy(value)));
        }

        return new LiveQuality(overall.Live.Labelled, unmatched, overall.Live.Unusable, MinimumLabelledRows, metrics);
    }

    private IEnumerable<string> LiveMetricNames() => _manifest.Signature.Task switch
    {
        ModelTask.Binary => ["accuracy"],
        ModelTask.Multiclass => ["macro_accuracy", "micro_accuracy"],
        _ => ["rmse", "mae"],
    };

    private WindowSummary Summarise(WindowStats stats)
    {
        var columns = new Dictionary<string, WindowColumn>(StringComparer.Ordinal);
        for (var i = 0; i < _numeric.Length; i++)
        {
            var plan = _numeric[i];
            var drift = NumericDrift(plan.Name, plan.Summary, plan.SortedReference, plan.Rule, stats.Numeric[i], 0);
            columns[plan.Name] = new WindowColumn(drift.Statistic, drift.Drifted, drift.Psi, drift.CurrentRows);
        }

        for (var i = 0; i < _categorical.Length; i++)
        {
            var plan = _categorical[i];
            var drift = CategoricalDrift(plan.Name, plan.Categories, plan.Rule, stats.Categorical[i]);
            columns[plan.Name] = new WindowColumn(drift.Statistic, drift.Drifted, drift.Psi, drift.CurrentRows);
        }

        var share = columns.Count == 0 ? 0 : (double)columns.Values.Count(c => c.Drifted) / columns.Count;
        var prediction = stats.Rows == 0 ? null : PredictionDrift(stats);
        return new WindowSummary(stats.Start, stats.Start + _spec.Window, stats.Rows, stats.Rejected, share, stats.Rows > 0 && columns.Count > 0 && share >= _spec.DriftShare, columns,
            prediction is null ? null : new WindowColumn(prediction.Statistic, prediction.Drifted, prediction.Psi, prediction.CurrentRows),
            stats.Live.Labelled, stats.Live.Metrics());
    }

    private static (string[] Keys, double[] Reference, double[] Current) Aligned(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current)
    {
        var keys = reference.Keys.Concat(current.Keys.Where(k => !reference.ContainsKey(k)).Order(StringComparer.Ordinal)).ToArray();
        return (keys, keys.Select(k => (double)reference.GetValueOrDefault(k)).ToArray(), keys.Select(k => (double)current.GetValueOrDefault(k)).ToArray());
    }

    private static double[] Shares(double[] counts)
    {
        var total = counts.Sum();
        return counts.Select(c => total > 0 ? c / total : 0).ToArray();
    }

    private static double Rate(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    private sealed record NumericPlan(string Name, NumericSummary Summary, double[] SortedReference, DriftRule Rule);

    private sealed record CategoricalPlan(string Name, IReadOnlyDictionary<string, long> Categories, DriftRule Rule);
}
