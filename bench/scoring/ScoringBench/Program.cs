using System.Diagnostics;
using System.Globalization;
using System.Text;
using Layercake.Batch;
using Layercake.Deployment.History;
using Layercake.Development;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Pipelines;
using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Microsoft.Extensions.Logging.Abstractions;
using Parquet;
using Parquet.Schema;

// penguins --rows=N --out=DIR : penguins-shaped rows (drawn from data/penguins.csv) as DIR/penguins.parquet and .csv
// package --yaml=FILE --dir=DIR : trains and registers the pipeline's model in DIR/models
// score --dir=DIR --model=NAME --input=FILE --output=FILE : Score end to end, one table row
// ort --dir=DIR --model=NAME --input=FILE.parquet : the same rows held in memory, prepared and scored by ONNX Runtime on every core
var options = args.Skip(1).Select(a => a.Split('=', 2)).ToDictionary(p => p[0].TrimStart('-'), p => p.Length > 1 ? p[1] : "");
var invariant = CultureInfo.InvariantCulture;
var log = NullLogger.Instance;
switch (args[0])
{
    case "penguins":
        await PenguinsAsync(int.Parse(options["rows"], invariant), options["out"]);
        break;
    case "package":
    {
        var spec = await PipelineSpecLoader.LoadAsync(options["yaml"], null, CancellationToken.None);
        var layout = new ArtifactLayout(Path.Combine(options["dir"], "artifacts"), spec.Name);
        await new PrepareStage(log, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        await new TrainStage(log, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        await new EvaluateStage(log).RunAsync(spec, layout, CancellationToken.None);
        var registry = new LocalModelRegistry(Path.Combine(options["dir"], "models"), log, TimeProvider.System);
        var version = await new PackageStage(log, TimeProvider.System).RunAsync(spec, layout, registry, null, CancellationToken.None);
        Console.Error.WriteLine($"packaged {version.Pipeline} {version.Version} ({version.Manifest.Trainer})");
        break;
    }
    case "score":
    {
        var dir = options["dir"];
        var registry = new LocalModelRegistry(Path.Combine(dir, "models"), log, TimeProvider.System);
        var stage = new ScoreStage(registry, new LocalDeploymentHistory(Path.Combine(dir, "models"), TimeProvider.System),
            new ScoreRecorder(new RunStore(Path.Combine(dir, "runs.db")), log, TimeProvider.System), log, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        var report = await stage.RunAsync(new ScoreRequest(options["model"], null, null, options["input"], options["output"], null, RejectLimit.None), null, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(invariant,
            $"| Score | {Path.GetExtension(options["input"])[1..]} → {Path.GetExtension(options["output"])[1..]} | {report.Rows:N0} | {seconds:F2} | {report.Rows / seconds:N0} | {Peak():F2} |"));
        // Where the time went, on stderr: the process's CPU seconds, and the GC's collections and pauses.
        Console.Error.WriteLine(string.Create(invariant,
            $"  cpu {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s, gc {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalSeconds:F2} s, heap {GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes / 1e6:F0} MB, committed {GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes / 1e6:F0} MB, threads {ThreadPool.ThreadCount}"));
        break;
    }
    case "ort":
    {
        var registry = new LocalModelRegistry(Path.Combine(options["dir"], "models"), log, TimeProvider.System);
        var version = await registry.SelectAsync(options["model"], null, CancellationToken.None);
        var signature = version.Manifest.Signature;
        var optimized = Path.Combine(version.Directory, ModelFiles.OptimizedOnnx);
        using var scorer = new OnnxModelScorer(File.Exists(optimized) ? optimized : Path.Combine(version.Directory, ModelFiles.Onnx), signature, File.Exists(optimized));
        var preprocessor = new FeaturePreprocessor(version.Manifest.Preprocessing);
        var layout = new RawColumnLayout([.. signature.Inputs.Select(i => i.Column)], [.. signature.Inputs.Select(i => i.Kind == FeatureKind.Numeric)]);
        var chunks = await ReadChunksAsync(options["input"], layout, 65_536);
        var rows = chunks.Sum(c => (long)c.RowCount);
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, chunk => scorer.Score(preprocessor.Transform(chunk)));
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(invariant, $"| ONNX Runtime in process (rows in memory) | parquet, not timed | {rows:N0} | {seconds:F2} | {rows / seconds:N0} | {Peak():F2} |"));
        Console.Error.WriteLine(string.Create(invariant,
            $"  cpu {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s (reading included), gc {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}"));
        break;
    }
}

static double Peak() => Process.GetCurrentProcess().PeakWorkingSet64 / 1e9;

// The Parquet file's feature columns, read whole into raw columns of 64k rows before the clock starts.
static async Task<List<RawColumns>> ReadChunksAsync(string path, RawColumnLayout layout, int chunkRows)
{
    await using var stream = File.OpenRead(path);
    await using var reader = await ParquetReader.CreateAsync(stream);
    var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name);
    var chunks = new List<RawColumns>();
    for (var g = 0; g < reader.RowGroupCount; g++)
    {
        using var group = reader.OpenRowGroupReader(g);
        var n = (int)group.RowCount;
        var columns = new List<object>();
        for (var c = 0; c < layout.Count; c++)
        {
            var field = fields[layout.Names[c]];
            if (layout.Numeric[c])
            {
                var values = new double?[n];
                await group.ReadAsync(field, values.AsMemory(), null);
                columns.Add(values);
            }
            else
            {
                var values = new string?[n];
                await group.ReadAsync(field, values.AsMemory(), null);
                columns.Add(values);
            }
        }

        for (var start = 0; start < n; start += chunkRows)
        {
            var count = Math.Min(chunkRows, n - start);
            var raw = new RawColumns(layout, count);
            for (var c = 0; c < layout.Count; c++)
            {
                for (var r = 0; r < count; r++)
                {
                    if (columns[c] is double?[] numbers)
                    {
                        raw.SetNumber(r, c, numbers[start + r]);
                    }
                    else
                    {
                        raw.SetText(r, c, ((string?[])columns[c])[start + r]);
                    }
                }
            }

            chunks.Add(raw);
        }
    }

    return chunks;
}

// Penguins-shaped rows drawn with replacement from the real table, so the model sees its own kind of data.
static async Task PenguinsAsync(int rows, string directory)
{
    Directory.CreateDirectory(directory);
    var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", ".."));
    var lines = File.ReadAllLines(Path.Combine(root, "data", "penguins.csv"));
    var header = lines[0].Split(',');
    var source = lines.Skip(1).Select(l => l.Split(',')).ToArray();
    var numeric = header.Select((_, c) => source.All(r => r[c].Length == 0 || double.TryParse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double _))).ToArray();
    var random = new Random(42);
    var picks = Enumerable.Range(0, rows).Select(_ => source[random.Next(source.Length)]).ToArray();
    await using (var csv = new StreamWriter(Path.Combine(directory, "penguins.csv"), false, new UTF8Encoding(false), 1 << 20))
    {
        await csv.WriteLineAsync(lines[0]);
        foreach (var pick in picks)
        {
            await csv.WriteLineAsync(string.Join(',', pick));
        }
    }

    var fields = header.Select((h, c) => numeric[c] ? (DataField)new DataField<double?>(h) : new DataField<string>(h)).ToArray();
    await using var stream = File.Create(Path.Combine(directory, "penguins.parquet"));
    await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
    foreach (var chunk in picks.Chunk(250_000))
    {
        using var group = writer.CreateRowGroup();
        for (var c = 0; c < fields.Length; c++)
        {
            if (numeric[c])
            {
                await group.WriteAsync(fields[c], new ReadOnlyMemory<double?>([.. chunk.Select(r => r[c].Length == 0 ? (double?)null : double.Parse(r[c], CultureInfo.InvariantCulture))]));
            }
            else
            {
                await group.WriteAsync(fields[c], chunk.Select(r => r[c].Length == 0 ? null : r[c]).ToArray());
            }
        }
    }
}
