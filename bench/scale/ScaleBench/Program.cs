using System.Diagnostics;
using System.Globalization;
using System.Text;
using Layercake.Development;
using Layercake.Development.Data;
using Layercake.Development.Data.Sources;
using Layercake.Development.Training;
using Layercake.Development.Training.Chain;
using Layercake.Development.Training.Folds;
using Layercake.Pipelines;
using Layercake.Pipelines.Trainers;
using Layercake.Registry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;
using Parquet;
using Parquet.Schema;

// generate --rows=N --out=DIR : flights.csv, flights.parquet and a pipeline for each
// read --dir=DIR --format=csv|parquet : seconds to read the table as text
// prepare --dir=DIR --format=csv|parquet : the Prepare stage alone: seconds, the process's CPU seconds, managed memory it holds after, peak memory
// run --dir=DIR --format=csv|parquet : Prepare, one fit on all rows, and Prepare..Package, with peak memory
var options = args.Skip(1).Select(a => a.Split('=', 2)).ToDictionary(p => p[0].TrimStart('-'), p => p.Length > 1 ? p[1] : "");
var invariant = CultureInfo.InvariantCulture;
switch (args[0])
{
    case "generate":
        await GenerateAsync(int.Parse(options["rows"], invariant), options["out"], options.GetValueOrDefault("cv-sample", ""));
        break;
    case "read":
    {
        var spec = await PipelineSpecLoader.LoadAsync(Path.Combine(options["dir"], $"flights-{options["format"]}.yaml"), null, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var table = await TableSource.ReadAsync(spec, CancellationToken.None);
        Console.WriteLine(string.Create(invariant, $"| {options["format"]} | {table.RowCount:N0} | {clock.Elapsed.TotalSeconds:F1} | {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:F2} |"));
        break;
    }
    case "prepare":
    {
        var spec = await PipelineSpecLoader.LoadAsync(Path.Combine(options["dir"], $"flights-{options["format"]}.yaml"), null, CancellationToken.None);
        var layout = new ArtifactLayout(Path.Combine(options["dir"], "artifacts"), spec.Name);
        var clock = Stopwatch.StartNew();
        var prepared = await new PrepareStage(NullLogger.Instance, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        var held = GC.GetTotalMemory(forceFullCollection: true);
        // CPU seconds too: on a machine shared with other builds the wall clock says more about them than about Prepare.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        Console.WriteLine(string.Create(invariant, $"| {options["format"]} | {prepared.Training.RowCount:N0} | {seconds:F1} | {cpu:F1} | {held / 1e9:F2} | {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:F2} |"));
        GC.KeepAlive(prepared);
        break;
    }
    case "run":
    {
        var spec = await PipelineSpecLoader.LoadAsync(Path.Combine(options["dir"], $"flights-{options["format"]}.yaml"), null, CancellationToken.None);
        var layout = new ArtifactLayout(Path.Combine(options["dir"], "artifacts"), spec.Name);
        var log = NullLogger.Instance;
        var whole = Stopwatch.StartNew();
        var prepared = await new PrepareStage(log, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        var prepare = whole.Elapsed.TotalSeconds;
        Stage("Prepare");

        var data = prepared.Training;
        var ml = new MLContext(spec.Seed);
        var fitClock = Stopwatch.StartNew();
        ModelPipelineBuilder.Build(ml, data, spec.Engineering, spec.Trainers.First(t => t.Kind == TrainerKind.LightGbm), spec.Seed).Fit(data.LabelledView());
        var fit = fitClock.Elapsed.TotalSeconds;
        Stage("one fit");
        prepared = null;
        data = null;

        var packageClock = Stopwatch.StartNew();
        await new TrainStage(log, TimeProvider.System).RunAsync(spec, layout, CancellationToken.None);
        Stage("Train");
        await new EvaluateStage(log).RunAsync(spec, layout, CancellationToken.None);
        Stage("Evaluate");
        var registry = new LocalModelRegistry(Path.Combine(options["dir"], "models"), log, TimeProvider.System);
        await new PackageStage(log, TimeProvider.System).RunAsync(spec, layout, registry, null, CancellationToken.None);
        Stage("Package");
        var total = prepare + packageClock.Elapsed.TotalSeconds;
        var report = await TrainStage.ReadReportAsync(layout, CancellationToken.None);
        Console.WriteLine(string.Create(invariant,
            $"| {options["format"]} | {report.Candidates[0].Folds.Sum(f => f.TestRows):N0} | {prepare:F1} | {fit:F1} | {total:F1} | {total / fit:F1} | {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:F2} | {report.Winner} |"));
        break;
    }
}

// Peak memory so far after each stage, on stderr, to see which stage holds the peak.
static void Stage(string name) =>
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after {name}: peak {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:F2} GB, managed {GC.GetTotalMemory(false) / 1e9:F2} GB"));

static async Task GenerateAsync(int rows, string directory, string cvSample)
{
    Directory.CreateDirectory(directory);
    var random = new Random(42);
    // Flight-delay shaped: a distance, two categoricals of about 300 airports (skewed, as hubs are), an hour, the delay.
    var airportWeight = Enumerable.Range(0, 300).Select(i => 1.0 / (i + 5)).ToArray();
    var cumulative = new double[300];
    var sum = 0.0;
    for (var i = 0; i < 300; i++) { sum += airportWeight[i]; cumulative[i] = sum; }
    int Airport() { var u = random.NextDouble() * sum; var i = Array.BinarySearch(cumulative, u); return i < 0 ? ~i : i; }
    var distance = new double[rows];
    var origin = new string[rows];
    var dest = new string[rows];
    var hour = new double[rows];
    var delay = new double[rows];
    for (var r = 0; r < rows; r++)
    {
        var o = Airport();
        var d = Airport();
        distance[r] = 100 + random.Next(0, 2900);
        origin[r] = $"A{o:D3}";
        dest[r] = $"A{d:D3}";
        hour[r] = random.Next(5, 24);
        var noise = -Math.Log(1 - random.NextDouble()) * 25 - 10;
        delay[r] = Math.Round((o % 17) * 0.8 + (d % 11) * 0.5 + (hour[r] - 5) * 0.9 + distance[r] / 400 + noise, 1);
    }

    await using (var csv = new StreamWriter(Path.Combine(directory, "flights.csv"), false, new UTF8Encoding(false), 1 << 20))
    {
        await csv.WriteLineAsync("distance,origin,dest,hour,delay");
        for (var r = 0; r < rows; r++)
        {
            await csv.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{distance[r]},{origin[r]},{dest[r]},{hour[r]},{delay[r]}"));
        }
    }

    var fields = new DataField[] { new DataField<double>("distance"), new DataField<string>("origin"), new DataField<string>("dest"), new DataField<double>("hour"), new DataField<double>("delay") };
    await using (var stream = File.Create(Path.Combine(directory, "flights.parquet")))
    await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
    {
        for (var start = 0; start < rows; start += 250_000)
        {
            var n = Math.Min(250_000, rows - start);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(fields[0], new ReadOnlyMemory<double>(distance, start, n));
            await group.WriteAsync(fields[1], origin.AsSpan(start, n).ToArray());
            await group.WriteAsync(fields[2], dest.AsSpan(start, n).ToArray());
            await group.WriteAsync(fields[3], new ReadOnlyMemory<double>(hour, start, n));
            await group.WriteAsync(fields[4], new ReadOnlyMemory<double>(delay, start, n));
        }
    }

    foreach (var (format, file) in new[] { ("csv", "flights.csv"), ("parquet", "flights.parquet") })
    {
        await File.WriteAllTextAsync(Path.Combine(directory, $"flights-{format}.yaml"),
            $"name: flights-{format}\ndata: {file}\nlabel: delay\ntask: regression\nfeatures:\n  origin: categorical\n  dest: categorical\n" +
            "trainers: [sdca, lightgbm]\nfolds: 3\nseed: 42\ngates:\n  baseline: off\n" + (cvSample.Length > 0 ? $"cv_sample: {cvSample}\n" : ""));
    }
}
