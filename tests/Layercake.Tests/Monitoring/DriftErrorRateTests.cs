using Layercake.Development.Data;
using Layercake.Development.Data.Profiling;
using Layercake.Monitoring;
using Layercake.Monitoring.Drift;
using Layercake.Pipelines;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Monitoring;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Profiles;
using Layercake.Runtime.Scoring;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring;

/// <summary>
/// Measured error rates of every drift test on penguin traffic, 100 seeded draws each: a random half of the rows is
/// the training reference (with the packaged model's own predictions on it as the prediction reference) and the
/// other half production, once as it is (any alarm is false) and once with a known shift (every number moved by
/// half the reference's standard deviation; 30% of rows moved to the island Torgersen and to FEMALE), where an
/// alarm is a detection. Prints the table the docs quote.
/// </summary>
[Category(Categories.Integration)]
public sealed class DriftErrorRateTests
{
    private const int Draws = 100;

    private sealed record Config(string Name, DriftMethod? Numeric, DriftMethod? Categorical, ChiSquareVariant ChiSquare);

    private static readonly Config[] Configs =
    [
        new("defaults (ks, chisquare two-sample)", null, null, ChiSquareVariant.TwoSample),
        new("ks, chisquare one-sample (Evidently's)", null, null, ChiSquareVariant.OneSample),
        new("wasserstein, jensenshannon", DriftMethod.Wasserstein, DriftMethod.JensenShannon, ChiSquareVariant.TwoSample),
        new("psi, psi", DriftMethod.Psi, DriftMethod.Psi, ChiSquareVariant.TwoSample),
        new("jensenshannon, jensenshannon", DriftMethod.JensenShannon, DriftMethod.JensenShannon, ChiSquareVariant.TwoSample),
    ];

    [Test]
    public async Task False_alarm_and_detection_rates_per_test_and_column_kind_over_100_draws()
    {
        using var temp = new TempDirectory();
        var table = await PenguinTraffic.TableAsync();
        var package = await TestPackages.PenguinsAsync();
        var manifest = package.Manifest;
        var all = Enumerable.Range(0, table.RowCount).ToArray();
        ScoredBatch scored;
        using (var scorer = new OnnxModelScorer(Path.Combine(package.Directory, "model.onnx"), manifest.Signature))
        {
            scored = scorer.Score(new FeaturePreprocessor(manifest.Preprocessing).Transform(all.Select(table.RawRow).ToArray()));
        }

        // (config, test, kind) → (alarms on training-like traffic, alarms on shifted traffic, tests of each).
        var tally = new Dictionary<(string Config, string Test, string Kind), (int Null, int Shift, int Tests)>();
        var dataset = Configs.ToDictionary(c => c.Name, _ => (Null: 0, Shift: 0));
        var chiSquareByColumn = new Dictionary<string, int>();
        for (var draw = 0; draw < Draws; draw++)
        {
            var rows = PenguinTraffic.Shuffled(table.RowCount, 5000 + draw);
            var (reference, heldBack) = (rows[..(rows.Length / 2)], rows[(rows.Length / 2)..]);
            var labels = PenguinTraffic.Profile(table, reference);
            var referencePredictions = new ScoredBatch(reference.Length, reference.Select(r => scored.Labels![r]).ToArray(), null, null);
            var profile = labels with { Predictions = PredictionProfiler.Profile(labels.Label, referencePredictions, 42) };
            var asIs = PenguinTraffic.AsTraffic(table, heldBack).Select((p, i) => p with { Label = scored.Labels![heldBack[i]] }).ToList();
            var shifted = asIs.Select((p, i) => p with { Inputs = Shift(p.Inputs, profile, heldBack[i], draw) }).ToList();
            var nullLog = PenguinTraffic.WriteLog(Path.Combine(temp.Path, $"null-{draw}"), asIs);
            var shiftLog = PenguinTraffic.WriteLog(Path.Combine(temp.Path, $"shift-{draw}"), shifted);
            foreach (var config in Configs)
            {
                var spec = Spec(config, profile);
                var analyzer = new MonitorAnalyzer(profile, manifest, spec, "/tmp/penguins.yaml");
                var onNull = await analyzer.AnalyzeAsync([nullLog], null, null, DateTimeOffset.UnixEpoch, CancellationToken.None);
                var onShift = await analyzer.AnalyzeAsync([shiftLog], null, null, DateTimeOffset.UnixEpoch, CancellationToken.None);
                dataset[config.Name] = (dataset[config.Name].Null + (onNull.DatasetDrift.Drifted ? 1 : 0), dataset[config.Name].Shift + (onShift.DatasetDrift.Drifted ? 1 : 0));
                var nullColumns = onNull.Columns.Append(onNull.PredictionDrift!).ToArray();
                var shiftColumns = onShift.Columns.Append(onShift.PredictionDrift!).ToArray();
                for (var c = 0; c < nullColumns.Length; c++)
                {
                    var test = nullColumns[c].Test == "chisquare" ? $"chisquare {(config.ChiSquare == ChiSquareVariant.OneSample ? "one" : "two")}-sample" : nullColumns[c].Test;
                    var kind = c == nullColumns.Length - 1 ? "prediction" : nullColumns[c].Kind;
                    var key = (config.Name, test, kind);
                    var (n, s, t) = tally.GetValueOrDefault(key);
                    tally[key] = (n + (nullColumns[c].Drifted ? 1 : 0), s + (shiftColumns[c].Drifted ? 1 : 0), t + 1);
                    if (config.Numeric is null && test.StartsWith("chisquare", StringComparison.Ordinal) && nullColumns[c].Drifted)
                    {
                        chiSquareByColumn[$"{test} {nullColumns[c].Column}"] = chiSquareByColumn.GetValueOrDefault($"{test} {nullColumns[c].Column}") + 1;
                    }
                }
            }
        }

        var lines = tally.Where(t => t.Key.Kind != "prediction" || t.Key.Config == Configs[0].Name || t.Key.Config == Configs[1].Name)
            .Select(t => $"| {t.Key.Test} | {t.Key.Kind} | {Percent(t.Value.Null, t.Value.Tests)} | {(t.Key.Kind == "prediction" ? "-" : Percent(t.Value.Shift, t.Value.Tests))} | {t.Value.Tests} |")
            .Distinct().ToArray();
        TestContext.Out.WriteLine("| test | column kind | false alarms | detections of the shift | tests |\n| --- | --- | --- | --- | --- |\n" + string.Join('\n', lines));
        TestContext.Out.WriteLine("chi-square false alarms by column: " + string.Join(", ", chiSquareByColumn.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}/{Draws}")));
        TestContext.Out.WriteLine(string.Join('\n', dataset.Select(d => $"dataset drift, {d.Key}: {d.Value.Null}/{Draws} false, {d.Value.Shift}/{Draws} detected")));

        var defaults = tally.Where(t => t.Key.Config == Configs[0].Name).ToDictionary(t => t.Key.Kind, t => t.Value);
        Assert.Multiple(() =>
        {
            foreach (var kind in new[] { "numeric", "categorical", "prediction" })
            {
                Assert.That((double)defaults[kind].Null / defaults[kind].Tests, Is.LessThanOrEqualTo(0.05), $"the default test's false-alarm rate on {kind} columns");
            }

            Assert.That((double)defaults["numeric"].Shift / defaults["numeric"].Tests, Is.GreaterThanOrEqualTo(0.8), "half a standard deviation is found");
            Assert.That((double)defaults["categorical"].Shift / defaults["categorical"].Tests, Is.GreaterThanOrEqualTo(0.8), "30% of rows moved is found");
            Assert.That(dataset[Configs[0].Name].Null, Is.LessThanOrEqualTo(5));
            Assert.That(dataset[Configs[0].Name].Shift, Is.GreaterThanOrEqualTo(95));
        });
    }

    private static MonitoringSpec Spec(Config config, DataProfile profile)
    {
        var columns = new Dictionary<string, ColumnMonitoringSpec>(StringComparer.Ordinal);
        foreach (var column in profile.Columns)
        {
            var method = column.Kind == Layercake.Runtime.Manifest.Signature.FeatureKind.Numeric ? config.Numeric : config.Categorical;
            if (method is { } m && column.Name != profile.Label.Name)
            {
                columns[column.Name] = new ColumnMonitoringSpec(m, null, new SourceLocation(1, 1));
            }
        }

        return MonitoringSpec.Default with { Columns = columns, ChiSquare = config.ChiSquare };
    }

    private static IReadOnlyDictionary<string, object?> Shift(IReadOnlyDictionary<string, object?> inputs, DataProfile profile, int row, int draw)
    {
        var moved = ((row * 7919) + draw) % 10 < 3;
        var result = new Dictionary<string, object?>(inputs);
        foreach (var column in profile.Columns.Where(c => c.Numeric is not null && inputs.ContainsKey(c.Name)))
        {
            if (inputs[column.Name] is double value)
            {
                result[column.Name] = value + (0.5 * column.Numeric!.StdDev);
            }
        }

        if (moved)
        {
            result["Island"] = "Torgersen";
            result["Sex"] = "FEMALE";
        }

        return result;
    }

    private static string Percent(int count, int total) => $"{100.0 * count / total:0.0}% ({count}/{total})";
}
