using System.Diagnostics;
using System.Globalization;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Layercake.Runtime.Scoring.Managed;
using Layercake.Shared.IO;

// Usage: ScorerBench <package directory>...   Each package's sample rows, cycled, scored by both scorers side by side:
// the two scorers take turns in short slices (200 single rows, or 5 batches of 1,000 rows), 40 turns each, and each
// figure is the fastest slice, so a burst of load from other processes hits both alike and the ratio holds.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine("| package | scorer | load ms (first, warm) | 1 row µs/call | bytes/call (1 row) | 1,000 rows µs/call | rows/s (1,000) |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var directory in args)
{
    var manifest = await PackageJson.ReadAsync<ModelManifest>(Path.Combine(directory, "manifest.json"), CancellationToken.None);
    var samples = await PackageJson.ReadAsync<SampleSet>(Path.Combine(directory, "samples.json"), CancellationToken.None);
    var rows = samples.Rows.Select(r => r.Inputs).ToList();
    var thousand = Enumerable.Range(0, 1000).Select(i => rows[i % rows.Count]).ToList();
    var preprocessor = new FeaturePreprocessor(manifest.Preprocessing);
    var singles = rows.Select(r => preprocessor.Transform([r])).ToArray();
    var batch = preprocessor.Transform(thousand);
    var model = Path.Combine(directory, ModelFiles.OptimizedOnnx);
    string[] names = [ScorerNames.OnnxRuntime, ScorerNames.Managed];
    IModelScorer Create(string name) => name == ScorerNames.Managed
        ? new ManagedModelScorer(model, manifest.Signature)
        : new OnnxModelScorer(model, manifest.Signature, preOptimized: true);
    var loads = names.ToDictionary(n => n, n => new double[2]);
    for (var round = 0; round < 2; round++)
    {
        foreach (var name in names)
        {
            var started = Stopwatch.GetTimestamp();
            Create(name).Dispose();
            loads[name][round] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    var scorers = names.Select(Create).ToArray();
    var single = new double[2];
    var bytes = new double[2];
    var batches = new double[2];
    Array.Fill(single, double.MaxValue);
    Array.Fill(batches, double.MaxValue);
    for (var turn = 0; turn < 40; turn++)
    {
        for (var s = 0; s < scorers.Length; s++)
        {
            var (micros, allocated) = Singles(scorers[s], singles, 200);
            single[s] = Math.Min(single[s], micros);
            bytes[s] = allocated;
            batches[s] = Math.Min(batches[s], Batches(scorers[s], batch, 5));
        }
    }

    for (var s = 0; s < scorers.Length; s++)
    {
        var load = loads[names[s]];
        Console.WriteLine($"| {manifest.Pipeline} | {names[s]} | {load[0]:0.0} ({load[1]:0.0}) | {single[s]:0.00} | {bytes[s]:0} | {batches[s]:0} | {1000 / batches[s] * 1e6:N0} |");
        scorers[s].Dispose();
    }

    Console.WriteLine($"| {manifest.Pipeline} | managed ÷ onnxruntime (speed) | | {single[0] / single[1]:0.00}× | | {batches[0] / batches[1]:0.00}× | |");
}

static (double Micros, double Bytes) Singles(IModelScorer scorer, PreparedBatch[] singles, int calls)
{
    var bytes = GC.GetAllocatedBytesForCurrentThread();
    var started = Stopwatch.GetTimestamp();
    for (var i = 0; i < calls; i++)
    {
        scorer.Score(singles[i % singles.Length]);
    }

    var micros = Stopwatch.GetElapsedTime(started).TotalMicroseconds / calls;
    return (micros, (GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)calls);
}

static double Batches(IModelScorer scorer, PreparedBatch batch, int calls)
{
    var started = Stopwatch.GetTimestamp();
    for (var i = 0; i < calls; i++)
    {
        scorer.Score(batch);
    }

    return Stopwatch.GetElapsedTime(started).TotalMicroseconds / calls;
}
