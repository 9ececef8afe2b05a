using System.Buffers;
using Layercake.Development.Metrics;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Calibration;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Scoring;
using Layercake.Serving.PredictionLog;

using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Monitoring;

/// <summary>
/// A binary classifier whose probabilities are true by construction: a row's positive probability is
/// sigmoid(z) with z ~ Normal(0, spread), and its label is drawn with that probability. A small spread means
/// unconfident rows, so the true accuracy of a window is known from its spread. <c>distort</c> turns the served
/// probability into a miscalibrated one while the labels keep following the true one.
/// </summary>
public static class SyntheticClassifier
{
    public static readonly string[] Classes = ["no", "yes"];

    public sealed record Row(double Served, bool Positive);

    public static Row[] Draw(Random random, int count, double spread, Func<double, double>? distort = null) =>
        Enumerable.Range(0, count).Select(_ =>
        {
            var z = spread * Normal(random);
            var p = 1 / (1 + Math.Exp(-z));
            return new Row(distort is null ? p : distort(p), random.NextDouble() < p);
        }).ToArray();

    /// <summary>The calibration check on rows as out-of-fold predictions in <paramref name="folds"/> folds; <paramref name="distortOfFold"/> may miscalibrate each fold its own way.</summary>
    internal static ProbabilityCalibration Check(Row[] rows, int folds, Func<int, double, double>? distortOfFold = null)
    {
        var fold = rows.Select((_, i) => i % folds).ToArray();
        var probabilities = rows.Select((r, i) => distortOfFold is null ? r.Served : distortOfFold(fold[i], r.Served)).Select(p => new[] { 1 - p, p }).ToArray();
        return CalibrationCheck.Check(ModelTask.Binary, Classes, rows.Select(r => r.Positive ? 1 : 0).ToArray(),
            probabilities.Select(p => p[1] >= 0.5 ? 1 : 0).ToArray(), fold, probabilities);
    }

    /// <summary>The penguins manifest turned into this binary model's, with its calibration and an accuracy gate.</summary>
    internal static ModelManifest Manifest(ModelManifest penguins, ProbabilityCalibration calibration, double accuracyGate) => penguins with
    {
        Signature = penguins.Signature with { Task = ModelTask.Binary, Classes = Classes },
        Calibration = calibration,
        Gates = [new GateOutcome($"accuracy >= {accuracyGate}", "accuracy", ComparisonOperator.GreaterOrEqual, accuracyGate, 0.9, true)],
    };

    /// <summary>Writes the windows' rows (one per minute from each window's start) as the server would, and returns the feedback labels.</summary>
    public static List<(string RequestId, string Label)> WriteLog(string directory, IReadOnlyDictionary<string, object?> inputs, IReadOnlyList<(DateTimeOffset Start, Row[] Rows)> windows, string version)
    {
        Directory.CreateDirectory(directory);
        var buffer = new ArrayBufferWriter<byte>();
        var feedback = new List<(string, string)>();
        foreach (var (start, rows) in windows)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                var id = $"{start:MMddHH}-{i}";
                var p = (float)rows[i].Served;
                var scored = new ScoredBatch(1, [p >= 0.5f ? "yes" : "no"], [[1 - p, p]], null);
                PredictionLogLine.Write(buffer, new PredictionLogEntry(id, start.AddSeconds(i), LoggedRows.From(inputs), scored), "penguins", version, Classes);
                feedback.Add((id, rows[i].Positive ? "yes" : "no"));
            }
        }

        File.WriteAllBytes(Path.Combine(directory, PredictionLogFileName.For(windows[0].Start, "synth001")), buffer.WrittenSpan.ToArray());
        return feedback;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
