using Layercake.Development.Data;
using Layercake.Development.Data.Profiling;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Development.Metrics;

/// <summary>Computes <see cref="ClassificationDiagnostics"/> from a candidate's out-of-fold predictions.</summary>
internal static class DiagnosticsCalculator
{
    private const int CalibrationBins = 10;
    private const int MaxCurvePoints = 200;

    public static ClassificationDiagnostics Classification(ModelTask task, IReadOnlyList<string> classes, int[] classOf,
        IReadOnlyList<FoldPredictions> folds)
    {
        var k = classes.Count;
        var perFold = folds.Select(f => PerClass(f, classOf, k)).ToArray();
        var perClass = Enumerable.Range(0, k).Select(c => new ClassMetrics(
            classes[c],
            classOf.Count(x => x == c),
            Summary(perFold.Select(f => f[c].Precision)),
            Summary(perFold.Select(f => f[c].Recall)),
            Summary(perFold.Select(f => f[c].F1)))).ToArray();

        var confusion = new int[k][];
        for (var c = 0; c < k; c++) confusion[c] = new int[k];
        foreach (var fold in folds)
        {
            for (var i = 0; i < fold.Rows.Length; i++) confusion[classOf[fold.Rows[i]]][fold.PredictedClass![i]]++;
        }

        if (task != ModelTask.Binary)
        {
            var confidence = folds.SelectMany(f => f.Probabilities!.Select(p => (double)p.Max())).ToArray();
            var right = folds.SelectMany(f => f.Rows.Select((r, i) => f.PredictedClass![i] == classOf[r])).ToArray();
            return new ClassificationDiagnostics(perClass, confusion, Calibrate("top label", confidence, right));
        }

        var score = folds.SelectMany(f => f.Probabilities!.Select(p => (double)p[1])).ToArray();
        var actual = folds.SelectMany(f => f.Rows.Select(r => classOf[r] == 1)).ToArray();
        var roc = BinaryCurves.Roc(actual, score).Select(p => new CurvePoint(p.Fpr, p.Tpr)).ToArray();
        var pr = BinaryCurves.PrecisionRecall(actual, score).Select(p => new CurvePoint(p.Recall, p.Precision)).ToArray();
        return new ClassificationDiagnostics(
            perClass, confusion, Calibrate($"P({classes[1]})", score, actual),
            Thin(roc), BinaryCurves.RocAuc(actual, score), Thin(pr), BinaryCurves.AveragePrecision(actual, score));
    }

    public static Calibration Calibrate(string reads, double[] probability, bool[] outcome)
    {
        var bins = new List<CalibrationBin>();
        double gap = 0;
        for (var b = 0; b < CalibrationBins; b++)
        {
            double lower = (double)b / CalibrationBins, upper = (double)(b + 1) / CalibrationBins;
            var members = Enumerable.Range(0, probability.Length)
                .Where(i => probability[i] >= lower && (probability[i] < upper || (b == CalibrationBins - 1 && probability[i] <= upper)))
                .ToArray();
            if (members.Length == 0)
            {
                continue;
            }

            var predicted = members.Average(i => probability[i]);
            var observed = members.Average(i => outcome[i] ? 1.0 : 0.0);
            bins.Add(new CalibrationBin(lower, upper, members.Length, predicted, observed));
            gap += members.Length * Math.Abs(predicted - observed);
        }

        return new Calibration(reads, bins, probability.Length == 0 ? double.NaN : gap / probability.Length);
    }

    private static (double Precision, double Recall, double F1)[] PerClass(FoldPredictions fold, int[] classOf, int k)
    {
        var tp = new int[k];
        var predicted = new int[k];
        var actual = new int[k];
        for (var i = 0; i < fold.Rows.Length; i++)
        {
            var a = classOf[fold.Rows[i]];
            var p = fold.PredictedClass![i];
            actual[a]++;
            predicted[p]++;
            if (a == p) tp[a]++;
        }

        return Enumerable.Range(0, k).Select(c =>
        {
            // A class the fold never predicts has precision 0, as scikit-learn's zero_division=0 reports it, unless
            // the fold has none of it either: then there is nothing to be precise about, and the fold is left out.
            var precision = predicted[c] == 0 ? (actual[c] == 0 ? double.NaN : 0) : (double)tp[c] / predicted[c];
            var recall = actual[c] == 0 ? double.NaN : (double)tp[c] / actual[c];
            var f1 = double.IsNaN(recall) || precision + recall == 0 ? (double.IsNaN(recall) ? double.NaN : 0)
                : 2 * precision * recall / (precision + recall);
            return (precision, recall, f1);
        }).ToArray();
    }

    /// <summary>Mean ± std over the folds where the figure exists (a fold without the class has no recall).</summary>
    private static MetricSummary Summary(IEnumerable<double> values)
    {
        var all = values.ToArray();
        var present = all.Where(v => !double.IsNaN(v)).ToArray();
        if (present.Length == 0)
        {
            return new MetricSummary(double.NaN, double.NaN, all);
        }

        return new MetricSummary(present.Average(), Statistics.StdDev(present), all);
    }

    private static CurvePoint[] Thin(CurvePoint[] points) =>
        points.Length <= MaxCurvePoints
            ? points
            : Enumerable.Range(0, MaxCurvePoints).Select(i => points[(int)((long)i * (points.Length - 1) / (MaxCurvePoints - 1))])
                .ToArray();
}
