using Layercake.Monitoring.Logs;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Calibration;

namespace Layercake.Monitoring.Estimation;

/// <summary>
/// NannyML's confidence-based performance estimation for one window, in fixed memory: each row adds its
/// (calibrated) class probabilities to the expected confusion matrix in its predicted class's row, so the matrix
/// holds what the counts would be on average if the probabilities are right. Binary AUC comes from the positive
/// probability's histogram over <see cref="Bins"/> bins: each bin contributes its probability mass as expected
/// positives and the rest as expected negatives (rows in one bin count as tied). With feedback, the same
/// histogram of the raw probabilities against the labels gives the realised AUC.
/// </summary>
internal sealed class PerformanceEstimator
{
    public const int Bins = 1000;

    /// <summary>NannyML draws its band at three standard errors.</summary>
    public const double BandWidth = 3;

    private readonly IReadOnlyList<string> _classes;
    private readonly Dictionary<string, int> _index;
    private readonly CalibrationMap?[] _maps;
    private readonly int _offset;
    private readonly double[,] _expected;
    private readonly double[] _probabilities;
    private readonly double[]? _binRows;
    private readonly double[]? _binPositive;
    private readonly double[]? _labelledPositive;
    private readonly double[]? _labelledNegative;

    /// <param name="offset">Where the probabilities start in <see cref="LogRow.Numbers"/>.</param>
    public PerformanceEstimator(IReadOnlyList<string> classes, IReadOnlyList<CalibrationMap> maps, int offset)
    {
        _classes = classes;
        _index = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        _maps = CalibrationMaps.ByClass(maps, classes);
        _offset = offset;
        _expected = new double[classes.Count, classes.Count];
        _probabilities = new double[classes.Count];
        if (classes.Count == 2)
        {
            (_binRows, _binPositive, _labelledPositive, _labelledNegative) =
                (new double[Bins], new double[Bins], new double[Bins], new double[Bins]);
        }
    }

    public long Rows { get; private set; }

    private bool Binary => _classes.Count == 2;

    public void Add(LogRow row, string? label)
    {
        if (row.PredictedLabel is not { } predictedLabel || !_index.TryGetValue(predictedLabel, out var predicted))
        {
            return;
        }

        for (var c = 0; c < _probabilities.Length; c++)
        {
            _probabilities[c] = row.Numbers[_offset + c];
            if (double.IsNaN(_probabilities[c]))
            {
                return;
            }
        }

        var raw = Binary ? _probabilities[1] : 0;
        CalibrationMaps.ApplyInPlace(_maps, _probabilities);
        for (var c = 0; c < _probabilities.Length; c++)
        {
            _expected[predicted, c] += _probabilities[c];
        }

        Rows++;
        if (Binary)
        {
            var bin = BinOf(_probabilities[1]);
            _binRows![bin]++;
            _binPositive![bin] += _probabilities[1];
            if (label is not null && _index.TryGetValue(label, out var actual))
            {
                (actual == 1 ? _labelledPositive! : _labelledNegative!)[BinOf(raw)]++;
            }
        }
    }

    /// <summary>The estimates with their standard errors, by metric name (catalog names; macro_f1 for multiclass).</summary>
    public IReadOnlyDictionary<string, (double Value, double StandardError)> Estimate(EstimationReference reference)
    {
        var result = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        if (Rows == 0)
        {
            return result;
        }

        var k = _classes.Count;
        double n = Rows;
        var trace = Enumerable.Range(0, k).Sum(c => _expected[c, c]);
        var predictedTotal = Enumerable.Range(0, k).Select(p => Enumerable.Range(0, k).Sum(a => _expected[p, a])).ToArray();
        var actualTotal = Enumerable.Range(0, k).Select(a => Enumerable.Range(0, k).Sum(p => _expected[p, a])).ToArray();
        var f1 = Enumerable.Range(0, k)
            .Select(c => predictedTotal[c] + actualTotal[c] <= 0 ? double.NaN : 2 * _expected[c, c] / (predictedTotal[c] + actualTotal[c]))
            .ToArray();
        var recall = Enumerable.Range(0, k).Select(c => actualTotal[c] <= 0 ? double.NaN : _expected[c, c] / actualTotal[c]).ToArray();
        var accuracy = (trace / n, reference.AccuracyStd / Math.Sqrt(n));
        if (Binary)
        {
            result["accuracy"] = accuracy;
            result["f1"] = (f1[1], ClassError([1], reference.F1Variance, reference.F1Share, n));
            if (reference.AucStd is { } aucStd && reference.AucShare is { } share && share > 0)
            {
                var positive = _binPositive!;
                var negative = _binRows!.Select((rows, b) => rows - positive[b]).ToArray();
                result["auc"] = (Auc(positive, negative), aucStd / Math.Sqrt(n * share));
            }

            return result;
        }

        var all = Enumerable.Range(0, k).ToArray();
        result["micro_accuracy"] = accuracy;
        result["macro_accuracy"] =
            (recall.Where(r => !double.IsNaN(r)).DefaultIfEmpty(double.NaN).Average(),
            ClassError(all, reference.RecallVariance, reference.RecallShare, n));
        result["macro_f1"] =
            (f1.Where(r => !double.IsNaN(r)).DefaultIfEmpty(double.NaN).Average(),
            ClassError(all, reference.F1Variance, reference.F1Share, n));
        return result;
    }

    /// <summary>The realised binary AUC of the labelled rows over the raw probability's bins; null without both classes.</summary>
    public double? RealisedAuc() =>
        _labelledPositive is { } positive && _labelledNegative is { } negative && positive.Sum() > 0 && negative.Sum() > 0
            ? Auc(positive, negative) : null;

    public long RealisedAucRows => _labelledPositive is null ? 0 : (long)(_labelledPositive.Sum() + _labelledNegative!.Sum());

    /// <summary>NannyML's multiclass sampling error: √(Σ var/(n·share)) / classes, over the classes the reference has.</summary>
    private static double ClassError(int[] classes, IReadOnlyList<double> variance, IReadOnlyList<double> share, double n) =>
        Math.Sqrt(classes.Where(c => c < share.Count && share[c] > 0).Sum(c => variance[c] / (n * share[c]))) / classes.Length;

    /// <summary>The Mann–Whitney AUC of (expected) positives and negatives per ascending bin, ties counted half.</summary>
    private static double Auc(double[] positive, double[] negative)
    {
        double pairs = 0;
        double positivesAbove = positive.Sum();
        for (var b = 0; b < positive.Length; b++)
        {
            positivesAbove -= positive[b];
            pairs += negative[b] * (positivesAbove + (0.5 * positive[b]));
        }

        var total = positive.Sum() * negative.Sum();
        return total <= 0 ? double.NaN : pairs / total;
    }

    private static int BinOf(double probability) => Math.Clamp((int)(probability * Bins), 0, Bins - 1);
}
