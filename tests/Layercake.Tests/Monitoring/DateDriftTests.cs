using System.Buffers;
using System.Globalization;
using Layercake.Monitoring;
using Layercake.Monitoring.Logs;
using Layercake.Monitoring.Reports;
using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Profiles;
using Layercake.Runtime.Scoring;
using Layercake.Serving.PredictionLog;
using Layercake.Shared.IO;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring;

/// <summary>
/// Drift on a date column's parts: the log holds the raw date strings, Monitor reads them as the server did and
/// tests each recurring part (not the year, which moves on by construction) against the profile's per-part figures.
/// </summary>
[Category(Categories.Integration)]
public sealed class DateDriftTests
{
    private static async Task<MonitorReport> AnalyzeAsync(TempDirectory temp, Func<Random, DateTimeOffset> when)
    {
        var package = await TestPackages.WideAsync();
        var profile = await PackageJson.ReadAsync<DataProfile>(Path.Combine(package.Directory, "profile.json"), CancellationToken.None);
        var random = new Random(3);
        var buffer = new ArrayBufferWriter<byte>();
        var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 1500; i++)
        {
            var row = new Dictionary<string, object?>
            {
                // Production is a year after training: the year part is not tested, or it would always drift.
                ["when"] = when(random).AddYears(2).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["product"] = $"product-{random.Next(50)}",
                ["price"] = (double)random.Next(5, 500),
            };
            var scored = new ScoredBatch(1, ["no"], [[0.5f, 0.5f]], null);
            PredictionLogLine.Write(buffer, new PredictionLogEntry($"r{i}", start.AddMinutes(i), LoggedRows.From(row), scored), "wide", "1.0.0", ["no", "yes"]);
        }

        var directory = Path.Combine(temp.Path, "log");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, PredictionLogFileName.For(start, "test0001")), buffer.WrittenSpan.ToArray());
        var analyzer = new MonitorAnalyzer(profile, package.Manifest, MonitoringSpec.Default, "/tmp/wide.yaml");
        return await analyzer.AnalyzeAsync(PredictionLogReader.Files(directory, null), null, null, DateTimeOffset.UnixEpoch, CancellationToken.None);
    }

    /// <summary>A time drawn as the training data's were: any minute of two years.</summary>
    private static DateTimeOffset AnyTime(Random random) =>
        new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 60 * 24 * 730));

    [Test]
    public async Task Dates_like_the_training_ones_do_not_drift_and_every_recurring_part_is_tested()
    {
        using var temp = new TempDirectory();

        var report = await AnalyzeAsync(temp, AnyTime);

        var parts = report.Columns.Where(c => c.Column.StartsWith("when.", StringComparison.Ordinal)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(parts.Select(c => c.Column), Is.EquivalentTo(new[] { "when.day_of_week", "when.hour", "when.is_weekend", "when.month" }));
            Assert.That(parts.Where(c => c.Drifted).Select(c => c.Column), Is.Empty);
        });
    }

    [Test]
    public async Task Traffic_only_at_night_drifts_on_the_hour_and_is_named()
    {
        using var temp = new TempDirectory();

        var report = await AnalyzeAsync(temp, random => { var t = AnyTime(random); return t.AddHours(-t.Hour + random.Next(0, 4)); });

        Assert.Multiple(() =>
        {
            Assert.That(report.Columns.Single(c => c.Column == "when.hour").Drifted, Is.True);
            Assert.That(report.Columns.Single(c => c.Column == "when.month").Drifted, Is.False);
        });
    }
}
