using System.Buffers;
using Layercake.Development.Data;
using Layercake.Monitoring;
using Layercake.Monitoring.Logs;
using Layercake.Monitoring.Quality;
using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Scoring;
using Layercake.Serving.PredictionLog;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Monitoring;

/// <summary>A regression model's log: predicted values against the training target, and RMSE and MAE from feedback.</summary>
[Category(Categories.Unit)]
public sealed class RegressionMonitoringTests
{
    [Test]
    public async Task Predicted_values_drift_against_the_target_and_feedback_gives_rmse_and_mae()
    {
        using var temp = new TempDirectory();
        // Body mass from the other measurements: the penguins as a regression.
        var spec = PipelineSpecLoader.Parse("name: mass\ndata: x.csv\nlabel: Body Mass (g)\ntask: regression\n", Specs.File, Repository.PenguinsCsv);
        var prepared = await new DataPreparer(NullLogger.Instance).PrepareAsync(spec, "sha", CancellationToken.None);
        var table = prepared.Typed;
        var penguins = await PenguinTraffic.ManifestAsync();
        var manifest = penguins with
        {
            Pipeline = "mass",
            Signature = penguins.Signature with { Task = ModelTask.Regression, Classes = [] },
            Gates = [new GateOutcome("rmse <= 400", "rmse", ComparisonOperator.LessOrEqual, 400, 300, true)],
        };
        var buffer = new ArrayBufferWriter<byte>();
        var feedback = new List<(string, string)>();
        for (var i = 0; i < table.RowCount; i++)
        {
            // Predictions 500 g too heavy: errors of exactly 500, so RMSE = MAE = 500, and a shifted distribution.
            var actual = table.Targets![i];
            var scored = new ScoredBatch(1, null, null, [(float)(actual + 500)]);
            PredictionLogLine.Write(buffer, new PredictionLogEntry($"m{i}", PenguinTraffic.Start.AddMinutes(i), LoggedRows.From(table.RawRow(i)), scored), "mass", "1.0.0", []);
            feedback.Add(($"m{i}", actual.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var directory = Path.Combine(temp.Path, "log");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, PredictionLogFileName.For(PenguinTraffic.Start, "mass0001")), buffer.WrittenSpan.ToArray());

        var analyzer = new MonitorAnalyzer(prepared.Profile, manifest, MonitoringSpec.Default, Specs.File);
        var report = await analyzer.AnalyzeAsync(PredictionLogReader.Files(directory, null), null, FeedbackLabels.FromPairs(feedback), DateTimeOffset.UnixEpoch, CancellationToken.None);

        var rmse = report.Live!.Metrics.Single(m => m.Metric == "rmse");
        Assert.Multiple(() =>
        {
            Assert.That(report.Columns.Select(c => c.Column), Does.Not.Contain("Body Mass (g)"), "the target is not a feature");
            Assert.That(report.PredictionDrift!.Column, Is.EqualTo("prediction (Body Mass (g))"));
            Assert.That(report.PredictionDrift.Test, Is.EqualTo("ks"));
            Assert.That(report.PredictionDrift.Drifted, Is.True);
            Assert.That(report.Columns.Where(c => c.Drifted), Is.Empty, "the inputs are the training rows themselves");
            // float32 predictions: within a gram of the exact 500.
            Assert.That(rmse.Value, Is.EqualTo(500).Within(0.01));
            Assert.That(report.Live.Metrics.Single(m => m.Metric == "mae").Value, Is.EqualTo(500).Within(0.01));
            Assert.That(rmse.Passed, Is.False, "rmse 500 fails the gate rmse <= 400");
            Assert.That(report.Live.LabelledRows, Is.EqualTo(table.RowCount));
        });
    }
}
