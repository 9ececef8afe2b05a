using Layercake.Monitoring;
using Layercake.Monitoring.Logs;
using Layercake.Monitoring.Quality;
using Layercake.Monitoring.Reports;
using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;
using Layercake.Registry;
using Layercake.Runtime.Manifest.Calibration;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring;

/// <summary>
/// CBPE end to end through Monitor's analysis: a synthetic classifier whose true accuracy per window is known from
/// how confident its rows are, and one whose probabilities are miscalibrated in a way no map can repair.
/// </summary>
[Category(Categories.Unit)]
public sealed class PerformanceEstimationTests
{
    private const int Windows = 24;
    private const int RowsPerWindow = 400;

    [Test]
    public async Task Calibrated_model_estimates_fall_within_their_band_of_the_realised_metric_in_90_percent_of_windows()
    {
        var random = new Random(7);
        var calibration = SyntheticClassifier.Check(SyntheticClassifier.Draw(random, 3000, 2.5), 5);
        // Confidence falls over the period, so accuracy drops from about 0.9 to about 0.6 without any label.
        var windows = Enumerable.Range(0, Windows)
            .Select(w => (PenguinTraffic.Start.AddHours(w), SyntheticClassifier.Draw(random, RowsPerWindow, 4.0 - (3.5 * w / (Windows - 1)))))
            .ToArray();

        var report = await AnalyzeAsync(calibration, windows, accuracyGate: 0.8);

        var covered = new Dictionary<string, int>();
        foreach (var window in report.Windows)
        {
            foreach (var metric in window.Estimated!)
            {
                Assert.That(metric.Realised, Is.Not.Null, metric.Metric);
                var inside = metric.Realised >= metric.Lower && metric.Realised <= metric.Upper;
                covered[metric.Metric] = covered.GetValueOrDefault(metric.Metric) + (inside ? 1 : 0);
            }
        }

        var accuracy = report.Windows.Select(w => w.Estimated!.Single(m => m.Metric == "accuracy")).ToArray();
        TestContext.Out.WriteLine($"windows with the realised value inside the estimate's band: {string.Join(", ", covered.Select(c => $"{c.Key} {c.Value}/{Windows}"))}");
        TestContext.Out.WriteLine($"accuracy estimated/realised per window: {string.Join("  ", accuracy.Select(a => $"{a.Value:0.000}/{a.Realised:0.000}"))}");
        Assert.Multiple(() =>
        {
            Assert.That(calibration.Trustworthy, Is.True, calibration.Reason);
            Assert.That(covered.Keys, Is.EquivalentTo(new[] { "accuracy", "f1", "auc" }));
            foreach (var (metric, inside) in covered)
            {
                Assert.That(inside, Is.GreaterThanOrEqualTo((int)Math.Ceiling(0.9 * Windows)), metric);
            }

            Assert.That(accuracy[0].Value, Is.GreaterThan(0.85), "confident rows at the start");
            Assert.That(accuracy[^1].Value, Is.LessThan(0.65), "unconfident rows at the end");
            Assert.That(report.Estimated!.Trustworthy, Is.True);
            Assert.That(report.Breaches, Has.Some.StartsWith("estimated performance: accuracy estimated at"), "the period's estimate is below the 0.8 gate");
            Assert.That(MonitorReportWriter.Table(report), Does.Contain("estimated (CBPE)"));
        });
    }

    [Test]
    public async Task Overconfident_model_gets_an_isotonic_map_and_its_estimates_are_right_again()
    {
        var random = new Random(11);
        // The served probability is pushed towards 0 and 1 (three times the log-odds): it says 0.99 where it is right 85% of the time.
        static double Sharpen(double p) => 1 / (1 + Math.Exp(-3 * Math.Log(p / (1 - p))));
        var calibration = SyntheticClassifier.Check(SyntheticClassifier.Draw(random, 4000, 1.5, Sharpen), 5);
        var windows = Enumerable.Range(0, 12).Select(w => (PenguinTraffic.Start.AddHours(w), SyntheticClassifier.Draw(random, RowsPerWindow, 1.5, Sharpen))).ToArray();

        var report = await AnalyzeAsync(calibration, windows, accuracyGate: 0.5);

        var accuracy = report.Windows.Select(w => w.Estimated!.Single(m => m.Metric == "accuracy")).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(calibration.ErrorBefore, Is.GreaterThan(0.05));
            Assert.That(calibration.Maps, Has.Count.EqualTo(1));
            Assert.That(calibration.ErrorAfter, Is.LessThan(calibration.ErrorBefore));
            Assert.That(calibration.Trustworthy, Is.True, calibration.Reason);
            Assert.That(report.Estimated!.Calibrated, Is.True);
            Assert.That(accuracy.Count(a => a.Realised >= a.Lower && a.Realised <= a.Upper), Is.GreaterThanOrEqualTo(11));
            Assert.That(report.Breaches, Has.None.StartsWith("estimated performance"), "accuracy is about 0.78, above the 0.5 gate");
        });
    }

    [Test]
    public async Task Miscalibrated_model_is_reported_as_not_trustworthy_in_the_card_and_the_report_and_never_breaches()
    {
        var random = new Random(3);
        // Each fold is off its own way (over- then under-confident), so a map learnt on the other folds does not carry over.
        static double Skew(double p, double power) => Math.Pow(p, power) / (Math.Pow(p, power) + Math.Pow(1 - p, power));
        var calibration = SyntheticClassifier.Check(SyntheticClassifier.Draw(random, 3000, 2), 5, (fold, p) => Skew(p, fold % 2 == 0 ? 4 : 0.25));
        var windows = Enumerable.Range(0, 4).Select(w => (PenguinTraffic.Start.AddHours(w), SyntheticClassifier.Draw(random, RowsPerWindow, 0.3, p => Skew(p, 4)))).ToArray();

        var report = await AnalyzeAsync(calibration, windows, accuracyGate: 0.9);
        var penguins = await PenguinTraffic.ManifestAsync();
        var card = new System.Text.StringBuilder();
        ModelCardSections.Evaluation(card, SyntheticClassifier.Manifest(penguins, calibration, 0.9), "## Evaluation");

        Assert.Multiple(() =>
        {
            Assert.That(calibration.Trustworthy, Is.False, calibration.Reason);
            Assert.That(calibration.ErrorAfter, Is.GreaterThan(0.05));
            Assert.That(card.ToString(), Does.Contain("**not trustworthy** for this model"));
            Assert.That(report.Estimated!.Trustworthy, Is.False);
            Assert.That(MonitorReportWriter.Markdown(report), Does.Contain("NOT TRUSTWORTHY"));
            Assert.That(report.NotChecked, Has.Some.Contains("not trustworthy"));
            Assert.That(report.Breaches, Has.None.StartsWith("estimated performance"), "an estimate that cannot be trusted does not fail a build");
        });
    }

    private static async Task<MonitorReport> AnalyzeAsync(Layercake.Runtime.Manifest.Calibration.ProbabilityCalibration calibration, (DateTimeOffset, SyntheticClassifier.Row[])[] windows, double accuracyGate)
    {
        using var temp = new TempDirectory();
        var table = await PenguinTraffic.TableAsync();
        var manifest = SyntheticClassifier.Manifest(await PenguinTraffic.ManifestAsync(), calibration, accuracyGate);
        var directory = Path.Combine(temp.Path, "log");
        var feedback = SyntheticClassifier.WriteLog(directory, table.RawRow(0), windows, manifest.Version!);
        var analyzer = new MonitorAnalyzer(PenguinTraffic.Profile(table, Enumerable.Range(0, table.RowCount)), manifest, MonitoringSpec.Default with { Window = TimeSpan.FromHours(1) }, "/tmp/p.yaml");
        var report = await analyzer.AnalyzeAsync(PredictionLogReader.Files(directory, null), null, FeedbackLabels.FromPairs(feedback), DateTimeOffset.UnixEpoch, CancellationToken.None);
        await MonitorReportWriter.WriteAsync(report, Path.Combine(temp.Path, "out"), CancellationToken.None);
        return report;
    }
}
