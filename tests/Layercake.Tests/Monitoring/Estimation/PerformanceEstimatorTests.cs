using Layercake.Monitoring;
using Layercake.Monitoring.Estimation;
using Layercake.Monitoring.Logs;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Calibration;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring.Estimation;

/// <summary>The expected confusion matrix and expected AUC on three rows worked out by hand.</summary>
[Category(Categories.Unit)]
public sealed class PerformanceEstimatorTests
{
    [Test]
    public void Three_binary_rows_give_the_hand_computed_expected_accuracy_f1_and_auc()
    {
        var estimator = new PerformanceEstimator(["no", "yes"], [], offset: 0);
        var row = new LogRow(2, 0);
        foreach (var (p, label) in new[] { (0.9, "yes"), (0.2, "no"), (0.6, "yes") })
        {
            row.Reset();
            row.Numbers[0] = 1 - p;
            row.Numbers[1] = p;
            row.PredictedLabel = label;
            estimator.Add(row, null);
        }

        var reference = new EstimationReference(100, 0.4, [0.1, 0.2], [0.5, 0.5], [0.1, 0.1], [0.5, 0.5], 0.3, 0.5);
        var estimate = estimator.Estimate(reference);

        Assert.Multiple(() =>
        {
            // Right with probability 0.9, 0.8 and 0.6.
            Assert.That(estimate["accuracy"].Value, Is.EqualTo(2.3 / 3).Within(1e-12));
            Assert.That(estimate["accuracy"].StandardError, Is.EqualTo(0.4 / Math.Sqrt(3)).Within(1e-12));
            // Expected TP 1.5, predicted positive 2, actual positive 1.7: 2·1.5 / (2 + 1.7).
            Assert.That(estimate["f1"].Value, Is.EqualTo(3 / 3.7).Within(1e-12));
            Assert.That(estimate["f1"].StandardError, Is.EqualTo(Math.Sqrt(0.2 / (3 * 0.5))).Within(1e-12));
            // NannyML's trapezoid under the expected ROC curve: each expected negative counts the expected positives
            // above it, and half of those at its own score: 0.8·1.5 + 0.4·0.9 + ½(0.8·0.2 + 0.4·0.6 + 0.1·0.9), over 1.7·1.3.
            Assert.That(estimate["auc"].Value, Is.EqualTo(1.805 / 2.21).Within(1e-9));
            Assert.That(estimate["auc"].StandardError, Is.EqualTo(0.3 / Math.Sqrt(3 * 0.5)).Within(1e-12));
        });
    }
}
