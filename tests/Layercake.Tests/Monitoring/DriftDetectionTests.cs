using Layercake.Monitoring;
using Layercake.Monitoring.Drift;
using Layercake.Monitoring.Logs;
using Layercake.Monitoring.Quality;
using Layercake.Monitoring.Reports;
using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring;

/// <summary>
/// The analyser on penguin traffic: half the rows are the training reference (profiled as Prepare profiles them),
/// the other half, held back, are production; synthetic drift in them must be found and named, and none invented.
/// </summary>
[Category(Categories.Unit)]
public sealed class DriftDetectionTests
{
    private static async Task<MonitorReport> AnalyzeAsync(
        TempDirectory temp, int[] reference, IEnumerable<PenguinTraffic.Prediction> traffic, MonitoringSpec? spec = null, FeedbackLabels? feedback = null)
    {
        var table = await PenguinTraffic.TableAsync();
        var manifest = await PenguinTraffic.ManifestAsync();
        var directory = Path.Combine(temp.Path, "log-" + Guid.NewGuid().ToString("N")[..6]);
        PenguinTraffic.WriteLog(directory, traffic);
        var analyzer = new MonitorAnalyzer(PenguinTraffic.Profile(table, reference), manifest, spec ?? MonitoringSpec.Default, "/tmp/penguins.yaml");
        return await analyzer.AnalyzeAsync(PredictionLogReader.Files(directory, null), null, feedback, DateTimeOffset.UnixEpoch, CancellationToken.None);
    }

    private static async Task<(int[] Reference, int[] HeldBack)> SplitAsync(int seed = 1)
    {
        var table = await PenguinTraffic.TableAsync();
        var rows = PenguinTraffic.Shuffled(table.RowCount, seed);
        return (rows[..(rows.Length / 2)], rows[(rows.Length / 2)..]);
    }

    private static void Print(MonitorReport report) => TestContext.Out.WriteLine(MonitorReportWriter.Table(report) + string.Join('\n', report.Breaches));

    [Test]
    public async Task Held_back_rows_as_they_are_show_no_drift()
    {
        using var temp = new TempDirectory();
        var table = await PenguinTraffic.TableAsync();
        var (reference, heldBack) = await SplitAsync();

        var report = await AnalyzeAsync(temp, reference, PenguinTraffic.AsTraffic(table, heldBack));
        Print(report);

        Assert.Multiple(() =>
        {
            Assert.That(report.Healthy, Is.True, string.Join('\n', report.Breaches));
            Assert.That(report.Columns.Where(c => c.Drifted).Select(c => c.Column), Is.Empty);
            Assert.That(report.Columns.Select(c => c.Test).Distinct(), Is.EquivalentTo(new[] { "ks", "chisquare" }), "172 reference rows: Evidently picks KS and chi-square");
            Assert.That(report.Log.Rows, Is.EqualTo(heldBack.Length));
        });
    }

    [Test]
    public async Task A_numeric_feature_shifted_by_one_standard_deviation_is_found_and_named()
    {
        using var temp = new TempDirectory();
        var table = await PenguinTraffic.TableAsync();
        var (reference, heldBack) = await SplitAsync();
        var std = PenguinTraffic.Profile(table, reference).Columns.Single(c => c.Name == "Body Mass (g)").Numeric!.StdDev;

        var report = await AnalyzeAsync(temp, reference, PenguinTraffic.AsTraffic(table, heldBack, change: (_, row) =>
            new Dictionary<string, object?>(row) { ["Body Mass (g)"] = row["Body Mass (g)"] is double mass ? mass + std : null }));
        Print(report);

        var mass = report.Columns.Single(c => c.Column == "Body Mass (g)");
        Assert.Multiple(() =>
        {
            Assert.That(mass.Drifted, Is.True);
            Assert.That(mass.Statistic, Is.LessThan(1e-6), "a whole-std shift on 170 rows is far beyond chance");
            Assert.That(report.Columns.Where(c => c.Drifted).Select(c => c.Column), Is.EqualTo(new[] { "Body Mass (g)" }), "only the shifted column");
            Assert.That(report.DatasetDrift.Drifted, Is.False, "1 of 6 columns is below the 0.5 share");
            Assert.That(mass.Detail, Does.StartWith("mean "));
        });
    }

    [Test]
    public async Task A_category_never_seen_in_training_is_found_and_named()
    {
        using var temp = new TempDirectory();
        var table = await PenguinTraffic.TableAsync();
        var (reference, heldBack) = await SplitAsync();

        var report = await AnalyzeAsync(temp, reference, PenguinTraffic.AsTraffic(table, heldBack, change: (row, values) =>
            row % 5 == 0 ? new Dictionary<string, object?>(values) { ["Island"] = "Anvers" } : values));
        Print(report);

        var island = report.Columns.Single(c => c.Column == "Island");
        Assert.Multiple(() =>
        {
            Assert.That(island.Drifted, Is.True);
            Assert.That(island.Statistic, Is.LessThan(1e-6), "a fifth of the rows in a new category");
            Assert.That(island.Detail, Does.Contain("'Anvers'"));
            Assert.That(island.UnseenCategoryRate, Is.GreaterThan(0.05));
            Assert.That(report.Quality.Single(q => q.Check == "unseen_category" && q.Column == "Island").Breached, Is.True);
            Assert.That(report.Healthy, Is.False);
            Assert.That(report.Breaches, Has.Some.Contains("unseen_category rate of Island"));
        });
    }

    [Test]
    public async Task A_changed_class_mix_is_found_as_prediction_drift()
    {
        using var temp = new TempDirectory();
        var table = await PenguinTraffic.TableAsync();
        var (reference, heldBack) = await SplitAsync();
        // Production sends mostly Gentoo: each Gentoo row three times, other species once in three.
        var skewed = heldBack.SelectMany((row, i) => table.Labels![row] == "Gentoo" ? [row, row, row] : i % 3 == 0 ? new[] { row } : []).ToArray();

        var report = await AnalyzeAsync(temp, reference, PenguinTraffic.AsTraffic(table, skewed));
        Print(report);

        Assert.Multiple(() =>
        {
            Assert.That(report.PredictionDrift, Is.Not.Null);
            Assert.That(report.PredictionDrift!.Column, Is.EqualTo("prediction (Species)"));
            Assert.That(report.PredictionDrift.Test, Is.EqualTo("chisquare"));
            Assert.That(report.PredictionDrift.Drifted, Is.True);
            Assert.That(report.PredictionDrift.Detail, Does.Contain("Gentoo"));
            Assert.That(report.Breaches, Has.Some.StartsWith("prediction drift"));
        });
    }

    [Test]
    public async Task Samples_of_the_training_distribution_are_not_flagged_in_at_least_95_of_100_draws()
    {
        using var temp = new TempDirectory();
        var table = await PenguinTraffic.TableAsync();
        var dataset = 0;
        var columns = 0;
        var tests = 0;
        var breaches = new Dictionary<string, int>();
        for (var seed = 0; seed < 100; seed++)
        {
            // Each draw: a random half is the training reference, the other half production; same distribution.
            var (reference, heldBack) = await SplitAsync(seed + 1000);
            var report = await AnalyzeAsync(temp, reference, PenguinTraffic.AsTraffic(table, heldBack));
            dataset += report.DatasetDrift.Drifted ? 1 : 0;
            foreach (var kind in report.Breaches.Select(b => b.Split(':')[0] + (b.Contains(" rate of ") ? " " + b.Split(' ')[2] : "")).Distinct())
            {
                breaches[kind] = breaches.GetValueOrDefault(kind) + 1;
            }

            columns += report.Columns.Count(c => c.Drifted);
            tests += report.Columns.Count;
        }

        TestContext.Out.WriteLine($"false alarms over 100 draws: dataset drift {dataset}/100, column drift {columns}/{tests} ({100.0 * columns / tests:0.0}% of column tests)");
        TestContext.Out.WriteLine($"draws with each kind of breach: {string.Join(", ", breaches.OrderBy(b => b.Key).Select(b => $"{b.Key} {b.Value}/100"))}");
        Assert.Multiple(() =>
        {
            Assert.That(dataset, Is.LessThanOrEqualTo(5), "dataset drift flagged on the training distribution itself");
            Assert.That(breaches.GetValueOrDefault("prediction drift"), Is.LessThanOrEqualTo(10), "one test at p < 0.05 alarms about 5 times in 100");
            Assert.That((double)columns / tests, Is.LessThanOrEqualTo(0.08), "per-column tests at p < 0.05 should alarm about 5% of the time or less");
        });
    }

    [Test]
    public async Task Prediction_drift_is_measured_against_the_models_training_predictions_when_the_package_has_them()
    {
        using var temp = new TempDirectory();
        var table = await PenguinTraffic.TableAsync();
        var manifest = await PenguinTraffic.ManifestAsync();
        var (reference, heldBack) = await SplitAsync();
        var labels = PenguinTraffic.Profile(table, reference);
        // A model that predicts Gentoo for half its training rows, whatever the labels say, and does so in production.
        var predicted = labels with
        {
            Predictions = labels.Label with { Categories = new Dictionary<string, long> { ["Adelie"] = 43, ["Chinstrap"] = 43, ["Gentoo"] = 86 } },
        };
        var traffic = PenguinTraffic.AsTraffic(table, heldBack).Select((p, i) => p with { Label = i % 2 == 0 ? "Gentoo" : i % 4 == 1 ? "Adelie" : "Chinstrap" }).ToList();
        var directory = Path.Combine(temp.Path, "log");
        PenguinTraffic.WriteLog(directory, traffic);

        async Task<ColumnDrift> PredictionDriftAsync(Layercake.Runtime.Profiles.DataProfile profile) =>
            (await new MonitorAnalyzer(profile, manifest, MonitoringSpec.Default, "/tmp/penguins.yaml")
                .AnalyzeAsync(PredictionLogReader.Files(directory, null), null, null, DateTimeOffset.UnixEpoch, CancellationToken.None)).PredictionDrift!;

        var againstPredictions = await PredictionDriftAsync(predicted);
        var againstLabels = await PredictionDriftAsync(labels);

        Assert.Multiple(() =>
        {
            Assert.That(againstPredictions.Drifted, Is.False, "the model predicts in production as it did on its training rows");
            Assert.That(againstLabels.Drifted, Is.True, "the same traffic against the label mix looks drifted");
        });
    }

    [Test]
    public async Task Per_column_overrides_from_the_pipeline_change_the_test_and_threshold()
    {
        using var temp = new TempDirectory();
        var table = await PenguinTraffic.TableAsync();
        var (reference, heldBack) = await SplitAsync();
        var spec = Specs.Parse("name: penguins\ndata: x.csv\nlabel: Species\ntask: multiclass\nmonitoring:\n  columns:\n    \"Body Mass (g)\": { test: psi, threshold: 0.2 }\n    Island: { test: jensenshannon }\n").Monitoring;

        var report = await AnalyzeAsync(temp, reference, PenguinTraffic.AsTraffic(table, heldBack), spec);

        var mass = report.Columns.Single(c => c.Column == "Body Mass (g)");
        var island = report.Columns.Single(c => c.Column == "Island");
        Assert.Multiple(() =>
        {
            Assert.That((mass.Test, mass.Threshold), Is.EqualTo(("psi", 0.2)));
            Assert.That(mass.Statistic, Is.EqualTo(mass.Psi));
            Assert.That((island.Test, island.Threshold), Is.EqualTo(("jensenshannon", 0.1)));
        });
    }
}
