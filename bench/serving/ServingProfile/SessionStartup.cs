using System.Diagnostics;
using System.Globalization;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Inference;
using Layercake.Serving.Observability;
using Layercake.Serving.Protocols;
using Layercake.Serving.Protocols.Mlflow;

namespace Layercake.Bench.Serving;

/// <summary>
/// Session creation with and without the package's pre-optimised model
/// (docs/decisions/0041-fast-start-and-package-time-optimisation.md): the load's parts in a fresh
/// process, then the median of many session creations each way, and a single-row call's time on each session, so
/// the optimisation done at package time is shown to cost the served calls nothing.
/// </summary>
internal static class SessionStartup
{
    public static int Run(string modelDirectory, byte[] body, int sessions)
    {
        var startup = new StartupTimeline();
        using var model = LoadedModel.Load(modelDirectory, startup);
        Console.WriteLine($"First load in this process: {startup.Describe()}");

        var original = Path.Combine(modelDirectory, ModelFiles.Onnx);
        var optimized = Path.Combine(modelDirectory, ModelFiles.OptimizedOnnx);
        // Optimised again in this process: the same bytes as the package's file is what reproducible packages need.
        using var scratch = new TemporaryFile();
        ScoringSessionOptions.WriteOptimized(original, scratch.Path);
        if (File.Exists(optimized))
        {
            var same = File.ReadAllBytes(optimized).AsSpan().SequenceEqual(File.ReadAllBytes(scratch.Path));
            Console.WriteLine($"Optimised again in this process: {(same ? "the same bytes as" : "DIFFERENT bytes from")} the package's {ModelFiles.OptimizedOnnx}");
        }
        else
        {
            Console.WriteLine("The package has no optimised model (packaged before optimisation at package time); optimising here.");
            optimized = scratch.Path;
        }

        var row = model.Preprocessor.Transform(MlflowJsonReader.Read(body, model, 1));
        Console.WriteLine();
        Console.WriteLine("| session | creation, median ms | creation, p90 ms | single-row call, median µs |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Measure("model.onnx, optimised at creation (all levels)", () => new OnnxModelScorer(original, model.Signature), sessions, row);
        Measure($"{ModelFiles.OptimizedOnnx}, optimisation off", () => new OnnxModelScorer(optimized, model.Signature, preOptimized: true), sessions, row);
        Console.WriteLine($"files: model.onnx {new FileInfo(original).Length:N0} bytes, optimised {new FileInfo(optimized).Length:N0} bytes");
        return 0;
    }

    private static void Measure(string name, Func<OnnxModelScorer> create, int sessions, Layercake.Runtime.Preprocessing.PreparedBatch row)
    {
        var creations = new double[sessions];
        for (var i = 0; i < sessions; i++)
        {
            var clock = Stopwatch.StartNew();
            create().Dispose();
            creations[i] = clock.Elapsed.TotalMilliseconds;
        }

        using var scorer = create();
        var calls = new double[20_000];
        for (var i = -2_000; i < calls.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            scorer.Score(row);
            if (i >= 0)
            {
                calls[i] = clock.Elapsed.TotalMicroseconds;
            }
        }

        Array.Sort(creations);
        Array.Sort(calls);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {creations[sessions / 2]:0.00} | {creations[sessions * 9 / 10]:0.00} | {calls[calls.Length / 2]:0.0} |"));
    }

    private sealed class TemporaryFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"layercake-optimized-{Guid.NewGuid():N}.onnx");

        public void Dispose() => File.Delete(Path);
    }
}
