using System.Globalization;
using System.Text;
using Layercake.Development.Data;
using Layercake.Development.Data.Profiling;
using Layercake.Development.Data.Tables;
using Layercake.Monitoring;
using Layercake.Monitoring.Drift;
using Layercake.Monitoring.Internal;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Profiles;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring;

/// <summary>
/// False alarms of the default drift tests on undrifted traffic with a large reference: a 2,000-row reference (the
/// first 2,000 rows of data/weather.csv, and a synthetic churn-like table with a continuous monthly charge) and
/// windows of 100, 200 and 1,000 rows resampled from that very reference, 200 seeded draws each. Every alarm is false.
/// Goes through the analyzer's own parts (the profile Prepare writes, the window's reservoir and counts, the rule
/// MonitoredColumns picks). Prints the table docs/PIPELINES.md and docs/decisions/0073-drift-tests-follow-the-window.md quote.
/// </summary>
[Category(Categories.Integration)]
public sealed class DriftWindowSizeTests
{
    private const int Draws = 200;
    private const int ReferenceRows = 2000;
    private static readonly int[] Windows = [100, 200, 1000];

    [Test]
    public void The_default_tests_keep_false_alarms_near_five_percent_for_small_windows_on_a_large_reference()
    {
        var tables = new[] { ("weather", Weather()), ("churn (synthetic)", Churn()) };
        var lines = new List<string>();
        var worst = 0.0;
        foreach (var (name, typed) in tables)
        {
            var profile = DataProfiler.Profile(typed, "sha", 42);
            foreach (var window in Windows)
            {
                foreach (var kind in new[] { FeatureKind.Numeric, FeatureKind.Categorical })
                {
                    var (alarms, tests, used) = Measure(typed, profile, kind, window);
                    var rate = (double)alarms / tests;
                    worst = Math.Max(worst, rate);
                    lines.Add($"| {name} | {window} | {kind.ToString().ToLowerInvariant()} | {used} | {100 * rate:0.0}% ({alarms}/{tests}) |");
                }
            }
        }

        TestContext.Out.WriteLine("| reference (2,000 rows) | window | column kind | default test | false alarms |\n| --- | --- | --- | --- | --- |\n"
            + string.Join('\n', lines));
        Assert.That(worst, Is.LessThanOrEqualTo(0.075), "the default's false-alarm rate, at most about 5% (binomial noise over 200 draws: ±3%)\n" + string.Join('\n', lines));
    }

    private static (int Alarms, int Tests, string Used) Measure(TypedTable typed, DataProfile profile, FeatureKind kind, int window)
    {
        var alarms = 0;
        var tests = 0;
        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var column in profile.Columns.Where(c => c.Kind == kind && c.Name != profile.Label.Name))
        {
            var rule = DriftRule.Default(kind, profile.Rows);
            var sorted = kind == FeatureKind.Numeric ? column.Numeric!.ReferenceSample.Order().ToArray() : [];
            for (var draw = 0; draw < Draws; draw++)
            {
                var random = new Random(1000 + draw);
                var rows = Enumerable.Range(0, window).Select(_ => random.Next(ReferenceRows)).ToArray();
                ColumnDrift drift;
                if (kind == FeatureKind.Numeric)
                {
                    var stats = new NumericColumnStats(column.Numeric!, 5000, draw);
                    foreach (var value in rows.Select(r => typed.Numbers[column.Name][r]).OfType<double>())
                    {
                        stats.Add(value);
                    }

                    drift = ColumnDriftMeasures.Numeric(column.Name, column.Numeric!, sorted, rule, stats, profile.Rows);
                }
                else
                {
                    var stats = new CategoryColumnStats();
                    foreach (var r in rows)
                    {
                        stats.Add(typed.Strings[column.Name][r]);
                    }

                    drift = ColumnDriftMeasures.Categorical(column.Name, column.Categories!, rule, stats);
                }

                used.Add(drift.Test);
                alarms += drift.Drifted ? 1 : 0;
                tests++;
            }
        }

        return (alarms, tests, string.Join(", ", used));
    }

    private static TypedTable Weather()
    {
        var lines = File.ReadLines(Path.Combine(Repository.Root, "data", "weather.csv")).Take(ReferenceRows + 1);
        const string Yaml = "name: weather\ndata: w.csv\nlabel: conditions\ntask: multiclass\nfolds: 2\n" +
            "features:\n  date: ignore\n  station: categorical\n";
        return Specs.Prepare(Yaml, string.Join('\n', lines) + "\n").Typed;
    }

    /// <summary>Churn-like rows: a bimodal monthly charge (basic plans near 20, the rest around 80), tenure, two categoricals.</summary>
    private static TypedTable Churn()
    {
        var random = new Random(7);
        var csv = new StringBuilder("churned,monthly_charge,tenure,contract,payment\n");
        string[] contracts = ["month-to-month", "one year", "two year"];
        string[] payments = ["electronic check", "mailed check", "bank transfer", "credit card"];
        for (var i = 0; i < ReferenceRows; i++)
        {
            var basic = random.NextDouble() < 0.3;
            var charge = basic ? 18 + (7 * random.NextDouble()) : Math.Clamp(80 + (25 * Normal(random)), 18, 120);
            var tenure = Math.Min(72, (int)(-24 * Math.Log(1 - random.NextDouble())));
            var contract = contracts[random.NextDouble() switch { < 0.55 => 0, < 0.76 => 1, _ => 2 }];
            var payment = payments[random.NextDouble() switch { < 0.34 => 0, < 0.57 => 1, < 0.79 => 2, _ => 3 }];
            var churned = random.NextDouble() < (contract == contracts[0] ? 0.42 : 0.08) ? "yes" : "no";
            csv.Append(CultureInfo.InvariantCulture, $"{churned},{charge:0.00},{tenure},{contract},{payment}\n");
        }

        const string Yaml = "name: churn\ndata: c.csv\nlabel: churned\ntask: binary\nfolds: 2\nfeatures:\n  tenure: numeric\n";
        return Specs.Prepare(Yaml, csv.ToString()).Typed;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
