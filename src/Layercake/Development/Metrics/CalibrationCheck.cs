using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Calibration;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Development.Metrics;

/// <summary>
/// Checks a classifier's out-of-fold probabilities for calibration the way NannyML decides whether CBPE needs a
/// calibrator: per class one-vs-rest (binary: the positive class), an isotonic map fitted on the other folds is
/// applied to each held-out fold, and the expected calibration error (ten equal-width bins, mean over the classes)
/// is compared before and after. The map is kept, fitted on every row, only when it lowered the held-out error;
/// CBPE is trustworthy when the error that applies is at most <see cref="Calibration.WellCalibrated"/>.
/// </summary>
internal static class CalibrationCheck
{
    /// <param name="actual">Each row's true class index.</param>
    /// <param name="predicted">The model's predicted class index per row.</param>
    /// <param name="fold">The cross-validation fold that held each row out.</param>
    /// <param name="probabilities">Each row's probability per class, in <paramref name="classes"/> order.</param>
    public static ProbabilityCalibration Check(ModelTask task, IReadOnlyList<string> classes, int[] actual, int[] predicted, int[] fold,
        double[][] probabilities)
    {
        var calibrated = task == ModelTask.Binary ? new[] { 1 } : Enumerable.Range(0, classes.Count).ToArray();
        var before = Error(calibrated, actual, probabilities);
        var held = new double[probabilities.Length][];
        var folds = fold.Distinct().ToArray();
        foreach (var f in folds)
        {
            var train = Enumerable.Range(0, actual.Length).Where(i => fold[i] != f).ToArray();
            var maps = Fit(classes, calibrated, train, actual, probabilities);
            for (var i = 0; i < actual.Length; i++)
            {
                if (fold[i] == f)
                {
                    held[i] = CalibrationMaps.Apply(maps, classes, probabilities[i]);
                }
            }
        }

        var after = folds.Length < 2 ? double.NaN : Error(calibrated, actual, held);
        var mapped = after < before;
        var applied = mapped ? after : before;
        var trustworthy = applied <= Calibration.WellCalibrated;
        var reason = (mapped, trustworthy) switch
        {
            (false, true) =>
                $"the out-of-fold probabilities are calibrated (expected calibration error {before:0.###} ≤ {Calibration.WellCalibrated}" +
                $"); no map needed",
            (true, true) =>
                $"an isotonic map brings the held-out expected calibration error from {before:0.###} to {after:0.###} (≤ " +
                $"{Calibration.WellCalibrated}); the package carries it",
            (true, false) =>
                $"even with an isotonic map the held-out expected calibration error is {after:0.###} (raw {before:0.###}), above " +
                $"{Calibration.WellCalibrated}: estimates from these probabilities are biased",
            (false, false) =>
                $"the expected calibration error is {before:0.###}, above {Calibration.WellCalibrated}, and an isotonic map fitted on " +
                $"the other folds does not lower it ({after:0.###}): estimates from these probabilities are biased",
        };
        var all = Enumerable.Range(0, actual.Length).ToArray();
        return new ProbabilityCalibration(before, after, trustworthy, reason, mapped ? Fit(classes, calibrated, all, actual, probabilities)
            : [],
            ReferenceComponents(task, classes.Count, actual, predicted, probabilities));
    }

    private static CalibrationMap[] Fit(IReadOnlyList<string> classes, int[] calibrated, int[] rows, int[] actual,
        double[][] probabilities) =>
        calibrated.Select(
            c => IsotonicFit.Fit(classes[c], rows.Select(i => probabilities[i][c]).ToArray(), rows.Select(i => actual[i] == c).ToArray()))
            .ToArray();

    private static double Error(int[] calibrated, int[] actual, double[][] probabilities) =>
        calibrated.Average(
            c => DiagnosticsCalculator.Calibrate("", probabilities.Select(p => p[c]).ToArray(), actual.Select(a => a == c).ToArray())
            .ExpectedCalibrationError);

    private static EstimationReference ReferenceComponents(ModelTask task, int k, int[] actual, int[] predicted, double[][] probabilities)
    {
        var n = actual.Length;
        var accuracy = PopulationVariance(Enumerable.Range(0, n).Select(i => actual[i] == predicted[i] ? 1.0 : 0.0).ToArray());
        var f1Variance = new double[k];
        var f1Share = new double[k];
        var recallVariance = new double[k];
        var recallShare = new double[k];
        for (var c = 0; c < k; c++)
        {
            // NannyML's observation-level terms: a true positive counts 1, a false positive or negative 0.
            var f1 = Enumerable.Range(0, n).Where(i => actual[i] == c || predicted[i] == c)
                .Select(i => actual[i] == predicted[i] ? 1.0 : 0.0).ToArray();
            var recall = Enumerable.Range(0, n).Where(i => actual[i] == c).Select(i => predicted[i] == c ? 1.0 : 0.0).ToArray();
            (f1Variance[c], f1Share[c]) = (PopulationVariance(f1), (double)f1.Length / n);
            (recallVariance[c], recallShare[c]) = (PopulationVariance(recall), (double)recall.Length / n);
        }

        var auc = task == ModelTask.Binary ? AucComponents(actual.Select(a => a == 1).ToArray(), probabilities.Select(p => p[1]).ToArray())
            : ((double, double)?)null;
        return new EstimationReference(n, Math.Sqrt(accuracy), f1Variance, f1Share, recallVariance, recallShare, auc?.Item1, auc?.Item2);
    }

    /// <summary>NannyML's <c>auroc_sampling_error_components</c>: the Mann–Whitney terms of the minority class.</summary>
    private static (double Std, double Share) AucComponents(bool[] positive, double[] score)
    {
        var flip = positive.Count(p => p) * 2 > positive.Length;
        var y = positive.Select(p => p ^ flip).ToArray();
        var s = flip ? score.Select(p => 1 - p).ToArray() : score;
        var order = Enumerable.Range(0, y.Length).OrderBy(i => s[i]).ToArray();
        var ranks = order.Select((i, rank) => y[i] ? rank : 0).Distinct().Where(r => r != 0).Order().ToArray();
        var negatives = y.Count(v => !v);
        var terms = ranks.Select((rank, i) => (double)(rank - i) / negatives).ToArray();
        return (Math.Sqrt(PopulationVariance(terms)), (double)y.Count(v => v) / y.Length);
    }

    private static double PopulationVariance(double[] values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var mean = values.Average();
        return values.Average(v => (v - mean) * (v - mean));
    }
}
