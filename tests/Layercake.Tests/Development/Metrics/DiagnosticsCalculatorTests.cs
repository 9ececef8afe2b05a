using Layercake.Development.Metrics;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Development.Metrics;

/// <summary>Per-class figures and the confusion matrix against values computed by hand on a fixed table.</summary>
[Category(Categories.Unit)]
public sealed class DiagnosticsCalculatorTests
{
    // Ten rows, three classes a, b, c. Actual: a a a a b b b c c c; two folds of five rows.
    private static readonly string[] Classes = ["a", "b", "c"];
    private static readonly int[] Actual = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];

    private static FoldPredictions Fold(int fold, int[] rows, int[] predicted) =>
        new(fold, rows, predicted, predicted.Select(p => Enumerable.Range(0, 3).Select(c => c == p ? 0.8f : 0.1f).ToArray()).ToArray(), null);

    private static readonly FoldPredictions[] Folds =
    [
        // Fold 1 rows 0,1,4,7,8: a→a, a→b, b→b, c→c, c→a
        Fold(1, [0, 1, 4, 7, 8], [0, 1, 1, 2, 0]),
        // Fold 2 rows 2,3,5,6,9: a→a, a→a, b→b, b→c, c→c
        Fold(2, [2, 3, 5, 6, 9], [0, 0, 1, 2, 2]),
    ];

    [Test]
    public void The_confusion_matrix_counts_actual_rows_against_predicted_columns()
    {
        var d = DiagnosticsCalculator.Classification(ModelTask.Multiclass, Classes, Actual, Folds);

        Assert.That(d.Confusion[0], Is.EqualTo(new[] { 3, 1, 0 }));
        Assert.That(d.Confusion[1], Is.EqualTo(new[] { 0, 2, 1 }));
        Assert.That(d.Confusion[2], Is.EqualTo(new[] { 1, 0, 2 }));
    }

    [Test]
    public void Per_class_figures_are_each_folds_precision_recall_and_f1_then_their_mean()
    {
        var d = DiagnosticsCalculator.Classification(ModelTask.Multiclass, Classes, Actual, Folds);
        var a = d.PerClass[0];

        // Fold 1, class a: predicted a twice (rows 0 and 8), right once → precision 1/2; actual a twice, found once → recall 1/2.
        // Fold 2, class a: predicted a twice, right twice → precision 1; recall 2/2 = 1.
        Assert.That(a.Precision.Folds, Is.EqualTo(new[] { 0.5, 1.0 }).Within(1e-12));
        Assert.That(a.Recall.Folds, Is.EqualTo(new[] { 0.5, 1.0 }).Within(1e-12));
        Assert.That(a.F1.Folds, Is.EqualTo(new[] { 0.5, 1.0 }).Within(1e-12));
        Assert.That(a.Recall.Mean, Is.EqualTo(0.75).Within(1e-12));
        Assert.That(a.Support, Is.EqualTo(4));

        // Class b, fold 2: predicted once (right), actual twice → precision 1, recall 1/2, F1 2/3.
        Assert.That(d.PerClass[1].F1.Folds[1], Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(d.Minimum("recall"), Is.EqualTo(d.PerClass.Min(c => c.Recall.Mean)));
        Assert.That(d.Weakest.Class, Is.EqualTo("a"), "every class has recall 0.75 here; a tie keeps the class order");
    }

    [Test]
    public void Expected_calibration_error_is_the_count_weighted_gap_between_confidence_and_accuracy()
    {
        // Four predictions at 0.9 of which two are right, four at 0.3 of which one is right:
        // |0.9 − 0.5| × 4/8 + |0.3 − 0.25| × 4/8 = 0.225.
        var calibration = DiagnosticsCalculator.Calibrate("test", [0.9, 0.9, 0.9, 0.9, 0.3, 0.3, 0.3, 0.3], [true, true, false, false, true, false, false, false]);

        Assert.That(calibration.ExpectedCalibrationError, Is.EqualTo(0.225).Within(1e-12));
        Assert.That(calibration.Bins.Select(b => b.Count), Is.EqualTo(new[] { 4, 4 }));
        Assert.That(calibration.IsWellCalibrated, Is.False);
    }

    [Test]
    public void Binary_curves_have_the_areas_computed_by_hand()
    {
        // Scores 0.9 (+), 0.8 (−), 0.7 (+), 0.1 (−): of the four positive/negative pairs three are ordered right → AUC 0.75.
        bool[] actual = [true, false, true, false];
        double[] score = [0.9, 0.8, 0.7, 0.1];

        Assert.That(BinaryCurves.RocAuc(actual, score), Is.EqualTo(0.75).Within(1e-12));
        // Average precision: recall 0.5 at precision 1, recall 1 at precision 2/3 → 0.5 × 1 + 0.5 × 2/3.
        Assert.That(BinaryCurves.AveragePrecision(actual, score), Is.EqualTo(0.5 + 1.0 / 3).Within(1e-12));
        Assert.That(BinaryCurves.RocAuc([true, false], [0.5, 0.5]), Is.EqualTo(0.5), "tied scores count one half");
    }

    [Test]
    public void A_fold_with_none_of_a_class_that_never_predicts_it_is_left_out_of_that_class_s_precision()
    {
        // Fold 1 has no 'c' rows and predicts none: its precision for 'c' is undefined, not 0.
        FoldPredictions[] folds = [Fold(1, [0, 1, 4], [0, 0, 1]), Fold(2, [2, 7, 8], [0, 2, 2])];

        var c = DiagnosticsCalculator.Classification(ModelTask.Multiclass, Classes, Actual, folds).PerClass[2];

        Assert.That(double.IsNaN(c.Precision.Folds[0]), Is.True);
        Assert.That(c.Precision.Mean, Is.EqualTo(1.0), "the mean is over the fold that has the class");
    }

    [Test]
    public void Auc_holds_on_large_tables()
    {
        var actual = Enumerable.Range(0, 100_000).Select(i => i % 2 == 0).ToArray();
        var score = actual.Select(_ => 0.5).ToArray();

        Assert.That(BinaryCurves.RocAuc(actual, score), Is.EqualTo(0.5).Within(1e-12), "50,000 positives: no integer overflow");
    }
}
