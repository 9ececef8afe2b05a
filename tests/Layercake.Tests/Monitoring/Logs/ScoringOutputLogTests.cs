using System.Globalization;
using Layercake.Batch;
using Layercake.Monitoring;
using Layercake.Monitoring.Logs;
using Layercake.Monitoring.Reports;
using Layercake.Pipelines.Monitoring;
using Layercake.Registry;
using Layercake.Runtime.Profiles;
using Layercake.Shared.IO;
using Layercake.Tests.Batch;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring.Logs;

/// <summary>
/// A file Score wrote, read by Monitor as a prediction log: a batch of the training rows themselves is healthy, and a
/// batch whose body mass has moved is found drifted, in every format Score writes.
/// </summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class ScoringOutputLogTests
{
    private TempDirectory _temp = null!;
    private RegisteredVersion _version = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temp = new TempDirectory();
        _version = await TestPackages.PenguinsAsync();
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("night.parquet")]
    [TestCase("night.csv")]
    [TestCase("night.jsonl")]
    public async Task A_scored_batch_of_the_training_rows_is_healthy_and_one_with_heavier_penguins_has_drifted(string name)
    {
        var healthy = await MonitorAsync(await ScoreAsync(Penguins(shift: 0), "same-" + name));
        var drifted = await MonitorAsync(await ScoreAsync(Penguins(shift: 1500), "heavier-" + name));

        Assert.Multiple(() =>
        {
            Assert.That(healthy.Healthy, Is.True, string.Join('\n', healthy.Breaches));
            Assert.That(healthy.Log.Rows, Is.EqualTo(File.ReadAllLines(Repository.PenguinsCsv).Length - 1), "every scored row is read");
            Assert.That(drifted.Healthy, Is.False);
            Assert.That(drifted.Columns.Where(c => c.Drifted).Select(c => c.Column), Does.Contain("Body Mass (g)"));
            Assert.That(healthy.Columns.Where(c => c.Drifted), Is.Empty);
        });
    }

    [Test]
    public async Task A_row_without_a_time_is_placed_at_when_the_job_scored()
    {
        var output = await ScoreAsync(Penguins(shift: 0), "night.jsonl");
        var lineage = await PackageJson.ReadAsync<ScoreLineage>(ScoreLineage.PathFor(output), CancellationToken.None);
        var times = new List<DateTimeOffset>();
        var masses = new List<double>();
        var reader = new PredictionLogReader(["Body Mass (g)"], ["Island"], readRequestIds: false);

        await reader.ReadAsync([output], null, row =>
        {
            times.Add(row.Time);
            Assert.That(row.Version, Is.EqualTo(_version.Version.ToString()));
            masses.Add(row.Numbers[0]);
        }, CancellationToken.None);

        Assert.That(masses.Count(m => m > 2000), Is.EqualTo(masses.Count(double.IsFinite)).And.GreaterThan(300), "numbers read as numbers");
        Assert.That(times.Distinct(), Is.EqualTo(new[] { lineage.StartedAt }));
    }

    private string Penguins(int shift)
    {
        var lines = File.ReadAllLines(Repository.PenguinsCsv);
        var mass = Array.IndexOf(lines[0].Split(','), "Body Mass (g)");
        var shifted = lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            if (double.TryParse(cells[mass], CultureInfo.InvariantCulture, out var grams))
            {
                cells[mass] = (grams + shift).ToString(CultureInfo.InvariantCulture);
            }

            return string.Join(',', cells);
        });
        return _temp.Write($"penguins-{shift}.csv", string.Join('\n', [lines[0], .. shifted]) + "\n");
    }

    private async Task<string> ScoreAsync(string input, string name)
    {
        var output = _temp.File(name);
        await ScoreParityTests.Stage(_version, _temp).RunAsync(new ScoreRequest(_version.Pipeline, _version.Version.ToString(), null,
            input, output, null, RejectLimit.TryParse("100%")!) { ChunkRows = 64 }, null, CancellationToken.None);
        return output;
    }

    private async Task<MonitorReport> MonitorAsync(string output)
    {
        var profile = await PackageJson.ReadAsync<DataProfile>(Path.Combine(_version.Directory, "profile.json"), CancellationToken.None);
        var analyzer = new MonitorAnalyzer(profile, _version.Manifest, MonitoringSpec.Default, "/tmp/penguins.yaml");
        return await analyzer.AnalyzeAsync(PredictionLogReader.Files(output, null), null, null, DateTimeOffset.UtcNow,
            CancellationToken.None);
    }
}
