using Layercake.Monitoring;
using Layercake.Monitoring.Logs;
using Layercake.Monitoring.Quality;
using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring.Quality;

/// <summary>Feedback labels joined to a constructed log give the right metrics per window and against the gates.</summary>
[Category(Categories.Unit)]
public sealed class LiveQualityTests
{
    [Test]
    public async Task Feedback_gives_accuracy_and_macro_accuracy_per_window_and_a_gate_breach()
    {
        using var temp = new TempDirectory();
        var table = await PenguinTraffic.TableAsync();
        var manifest = await PenguinTraffic.ManifestAsync();
        var inputs = table.RawRow(0);
        var traffic = new List<PenguinTraffic.Prediction>();
        var feedback = new List<(string, string)>();

        void Add(DateTimeOffset day, int count, string actual, string predicted)
        {
            for (var i = 0; i < count; i++)
            {
                var id = $"{day:MMdd}-{traffic.Count}";
                traffic.Add(new PenguinTraffic.Prediction(day.AddMinutes(traffic.Count), id, inputs, predicted));
                feedback.Add((id, actual));
            }
        }

        var day1 = PenguinTraffic.Start;
        var day2 = day1.AddDays(1);
        // Day 1: 12 Adelie all right, 8 Gentoo half right → accuracy 16/20 = 0.8, macro (1 + 0.5) / 2 = 0.75.
        Add(day1, 12, "Adelie", "Adelie");
        Add(day1, 4, "Gentoo", "Gentoo");
        Add(day1, 4, "Gentoo", "Chinstrap");
        // Day 2: 10 Adelie half right, 10 Chinstrap half right → 0.5 and 0.5.
        Add(day2, 5, "Adelie", "Adelie");
        Add(day2, 5, "Adelie", "Gentoo");
        Add(day2, 5, "Chinstrap", "Chinstrap");
        Add(day2, 5, "Chinstrap", "Adelie");
        // Row 1 of a batch request, labelled as <request_id>#1; and a label for a request that was never logged.
        traffic.Add(new PenguinTraffic.Prediction(day2.AddHours(12), "batch", inputs, "Gentoo", Row: 1));
        feedback.Add(("batch#1", "Gentoo"));
        feedback.Add(("never-logged", "Adelie"));
        var directory = Path.Combine(temp.Path, "log");
        PenguinTraffic.WriteLog(directory, traffic);

        var analyzer = new MonitorAnalyzer(PenguinTraffic.Profile(table, Enumerable.Range(0, table.RowCount)), manifest, MonitoringSpec.Default, "/tmp/p.yaml");
        var report = await analyzer.AnalyzeAsync(PredictionLogReader.Files(directory, null), null, FeedbackLabels.FromPairs(feedback), DateTimeOffset.UnixEpoch, CancellationToken.None);

        var live = report.Live!;
        var macro = live.Metrics.Single(m => m.Metric == "macro_accuracy");
        Assert.Multiple(() =>
        {
            Assert.That(report.Windows.Select(w => w.Start), Is.EqualTo(new[] { day1, day2 }));
            Assert.That(report.Windows[0].Live["micro_accuracy"], Is.EqualTo(0.8).Within(1e-12));
            Assert.That(report.Windows[0].Live["macro_accuracy"], Is.EqualTo(0.75).Within(1e-12));
            Assert.That(report.Windows[1].Live["micro_accuracy"], Is.EqualTo(11.0 / 21).Within(1e-12), "10 of 20 plus the batch row");
            Assert.That(report.Windows[1].LabelledRows, Is.EqualTo(21));
            Assert.That(live.LabelledRows, Is.EqualTo(41));
            Assert.That(live.UnmatchedFeedback, Is.EqualTo(1));
            Assert.That(live.Metrics.Single(m => m.Metric == "micro_accuracy").Value, Is.EqualTo(27.0 / 41).Within(1e-12));
            Assert.That(macro.CvMean, Is.EqualTo(manifest.CrossValidation[manifest.Trainer]["macro_accuracy"].Mean));
            Assert.That(macro.Gate, Is.EqualTo("macro_accuracy >= 0.95"));
            Assert.That(macro.Passed, Is.False);
            Assert.That(report.Breaches, Has.Some.StartsWith("live quality: macro_accuracy"));
        });
    }

    [Test]
    public async Task Feedback_is_read_from_csv_and_bad_lines_are_located()
    {
        using var temp = new TempDirectory();
        var good = temp.Write("labels.csv", "request_id,label\nabc,Adelie\n\"x,y#2\",Gentoo\n");
        var bad = temp.Write("bad.csv", "request_id,label\nabc,Adelie\ndef,\n");

        var labels = await FeedbackLabels.ReadAsync(good, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(labels.Count, Is.EqualTo(2));
            Assert.That(labels.TryGet("abc", 0, out var first) ? first : null, Is.EqualTo("Adelie"));
            Assert.That(labels.TryGet("x,y", 2, out var second) ? second : null, Is.EqualTo("Gentoo"));
            Assert.That(async () => await FeedbackLabels.ReadAsync(bad, CancellationToken.None), Throws.TypeOf<InvalidDataException>().With.Message.Contains("bad.csv:3"));
        });
    }
}
