using System.Diagnostics;
using System.Globalization;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Layercake.Runtime.Scoring.Managed;
using Layercake.Shared.IO;

// Usage: ScorerBench <package directory>...   Each package's sample rows, cycled, scored by both scorers in turn.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine("| package | scorer | load ms | 1 row µs/call | bytes/call (1 row) | 1,000 rows µs/call | rows/s (1,000) |");
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
    var results = new Dictionary<string, List<double[]>>();
    for (var round = 0; round < 3; round++)
    {
        foreach (var name in new[] { ScorerNames.OnnxRuntime, ScorerNames.Managed })
        {
            var started = Stopwatch.GetTimestamp();
            using IModelScorer scorer = name == ScorerNames.Managed
                ? new ManagedModelScorer(model, manifest.Signature)
                : new OnnxModelScorer(model, manifest.Signature, preOptimized: true);
            var load = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            (results.TryGetValue(name, out var list) ? list : results[name] = []).Add(Measure(scorer, singles, batch, load));
        }
    }

    foreach (var (name, runs) in results)
    {
        // Best of three rounds for the times (the machine is shared); the load of the first round (cold) and the last.
        var best = Enumerable.Range(0, 4).Select(i => i == 0 ? runs[0][0] : i == 2 ? runs[^1][2] : runs.Min(r => r[i])).ToArray();
        Console.WriteLine($"| {manifest.Pipeline} | {name} | {best[0]:0.0} (warm {runs[^1][0]:0.0}) | {best[1]:0.00} | {best[2]:0} | {best[3]:0} | {1000 / best[3] * 1e6:N0} |");
    }
}

static double[] Measure(IModelScorer scorer, PreparedBatch[] singles, PreparedBatch batch, double load)
{
    for (var i = 0; i < 2000; i++)
    {
        scorer.Score(singles[i % singles.Length]);
    }

    const int calls = 20_000;
    var bytes = GC.GetAllocatedBytesForCurrentThread();
    var started = Stopwatch.GetTimestamp();
    for (var i = 0; i < calls; i++)
    {
        scorer.Score(singles[i % singles.Length]);
    }

    var single = Stopwatch.GetElapsedTime(started).TotalMicroseconds / calls;
    var allocated = (GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)calls;
    for (var i = 0; i < 20; i++)
    {
        scorer.Score(batch);
    }

    const int batches = 200;
    started = Stopwatch.GetTimestamp();
    for (var i = 0; i < batches; i++)
    {
        scorer.Score(batch);
    }

    return [load, single, allocated, Stopwatch.GetElapsedTime(started).TotalMicroseconds / batches];
}
