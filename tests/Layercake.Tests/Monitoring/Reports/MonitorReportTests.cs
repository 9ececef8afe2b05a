using System.Text.Json;
using Layercake.Monitoring;
using Layercake.Monitoring.Logs;
using Layercake.Monitoring.Quality;
using Layercake.Monitoring.Reports;
using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring.Reports;

/// <summary>The written report: monitor.json's shape, the Markdown summary, and the HTML page with its PNG charts.</summary>
[Category(Categories.Unit)]
public sealed class MonitorReportTests
{
    [Test]
    public async Task Report_files_exist_with_their_charts_and_monitor_json_has_its_shape()
    {
        using var temp = new TempDirectory();
        var table = await PenguinTraffic.TableAsync();
        var manifest = await PenguinTraffic.ManifestAsync();
        var rows = PenguinTraffic.Shuffled(table.RowCount, 3);
        // Three days of traffic, the last with heavier penguins, and feedback for every row.
        var traffic = PenguinTraffic.AsTraffic(table, rows[172..], change: (row, values) =>
            new Dictionary<string, object?>(values) { ["Body Mass (g)"] = values["Body Mass (g)"] is double mass && row % 3 == 0 ? mass + 800 : values["Body Mass (g)"] })
            .Select((p, i) => p with { Time = PenguinTraffic.Start.AddHours(i * 0.4) }).ToList();
        PenguinTraffic.WriteLog(Path.Combine(temp.Path, "log"), traffic);
        var feedback = FeedbackLabels.FromPairs(traffic.Select(p => (p.RequestId, p.Label)));
        var analyzer = new MonitorAnalyzer(PenguinTraffic.Profile(table, rows[..172]), manifest, MonitoringSpec.Default, "/tmp/p.yaml");
        var report = await analyzer.AnalyzeAsync(PredictionLogReader.Files(Path.Combine(temp.Path, "log"), null), null, feedback, PenguinTraffic.Start.AddDays(5), CancellationToken.None);
        var output = Path.Combine(temp.Path, "monitor", "penguins");

        var files = await MonitorReportWriter.WriteAsync(report, output, CancellationToken.None);

        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "monitor.json"))).RootElement;
        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        var pngs = Directory.GetFiles(output, "*.png").Select(Path.GetFileName).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(files, Does.Contain("monitor.json").And.Contain("summary.md").And.Contain("report.html"));
            foreach (var key in new[] { "model", "version", "generated", "window", "healthy", "breaches", "log", "dataset_drift", "columns", "prediction_drift", "quality", "live", "windows", "not_checked", "estimated" })
            {
                Assert.That(json.TryGetProperty(key, out _), Is.True, $"monitor.json has '{key}'");
            }

            Assert.That(json.GetProperty("model").GetString(), Is.EqualTo("penguins"));
            Assert.That(json.GetProperty("window").GetString(), Is.EqualTo("1d"));
            var column = json.GetProperty("columns")[0];
            foreach (var key in new[] { "column", "kind", "test", "statistic", "threshold", "drifted", "psi", "missing_rate", "detail", "histogram" })
            {
                Assert.That(column.TryGetProperty(key, out _), Is.True, $"a column has '{key}'");
            }

            Assert.That(json.GetProperty("windows").GetArrayLength(), Is.EqualTo(3));
            Assert.That(json.GetProperty("windows")[0].GetProperty("columns").TryGetProperty("Body Mass (g)", out _), Is.True, "window columns keep their names");
            Assert.That(json.GetProperty("live").GetProperty("metrics")[0].GetProperty("metric").GetString(), Is.EqualTo("macro_accuracy"));
            Assert.That(pngs, Does.Contain("histogram-body-mass-g.png").And.Contain("drift-body-mass-g.png").And.Contain("drift-prediction-species.png").And.Contain("live-macro_accuracy.png"));
            Assert.That(pngs, Does.Contain("estimated-macro_accuracy.png").And.Contain("estimated-micro_accuracy.png").And.Contain("estimated-macro_f1.png"));
            Assert.That(pngs, Has.Length.EqualTo((7 * 2) + 2 + 3), "two charts per column and for predictions, one per live metric, one per CBPE estimate");
            Assert.That(json.GetProperty("estimated").GetProperty("metrics").GetArrayLength(), Is.EqualTo(3));
            Assert.That(json.GetProperty("windows")[0].GetProperty("estimated")[0].TryGetProperty("realised", out _), Is.True);
            foreach (var png in pngs)
            {
                Assert.That(File.ReadAllBytes(Path.Combine(output, png!))[..4], Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), png);
                Assert.That(html, Does.Contain($"<img src=\"{png}\""), png);
            }

            Assert.That(File.ReadAllText(Path.Combine(output, "summary.md")), Does.StartWith("## Monitoring penguins 1.0.0: ").And.Contain("| Body Mass (g)"));
            Assert.That(Directory.GetDirectories(Path.Combine(temp.Path, "monitor")), Has.Length.EqualTo(1), "no staging folder is left behind");
        });
    }
}
