using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Layercake.Development.Data;
using Layercake.Monitoring;
using Layercake.Monitoring.Logs;
using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Calibration;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.PredictionLog;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Profiles;
using Layercake.Runtime.Scoring;
using Layercake.Serving.PredictionLog;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging.Abstractions;

// generate --rows=N --out=DIR [--repository=PATH]: the penguins profile and a manifest, and N logged predictions
//   drawn from the penguins rows (the last sixth with Body Mass shifted by one std), in 64 MB files like the server's.
// analyze --dir=DIR [--cbpe]: the Monitor analysis over DIR/log, timed; prints rows/s and peak memory; --cbpe adds
//   performance estimation (every row's probabilities read).
// incremental --dir=DIR [--new=N]: a full fetch and read against --since=last after N new rows.
var command = args.FirstOrDefault() ?? "";
string Option(string name, string? fallback = null) =>
    args.FirstOrDefault(a => a.StartsWith($"--{name}=", StringComparison.Ordinal))?[(name.Length + 3)..] ?? fallback ?? throw new ArgumentException($"--{name}= is required");

if (command == "generate")
{
    var rows = long.Parse(Option("rows"), CultureInfo.InvariantCulture);
    var output = Option("out");
    var repository = Option("repository", ".");
    var spec = PipelineSpecLoader.Parse("name: penguins\ndata: penguins.csv\nlabel: Species\ntask: multiclass\n", Path.Combine(repository, "pipelines", "bench.yaml"), Path.Combine(repository, "data", "penguins.csv"));
    var prepared = await new DataPreparer(NullLogger.Instance).PrepareAsync(spec, "bench", CancellationToken.None);
    var table = prepared.Typed;
    var profile = prepared.Profile;
    Directory.CreateDirectory(Path.Combine(output, "log"));
    await File.WriteAllTextAsync(Path.Combine(output, "profile.json"), PackageJson.Serialize(profile));
    await File.WriteAllTextAsync(Path.Combine(output, "manifest.json"), PackageJson.Serialize(Manifest(profile)));

    var clock = Stopwatch.StartNew();
    var random = new Random(42);
    var massStd = profile.Columns.Single(c => c.Name == "Body Mass (g)").Numeric!.StdDev;
    var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    var step = TimeSpan.FromDays(6).Ticks / rows; // six daily windows whatever the size
    string[] classes = ["Adelie", "Chinstrap", "Gentoo"];
    var buffer = new ArrayBufferWriter<byte>(1 << 16);
    FileStream? file = null;
    long fileBytes = 0;
    for (long i = 0; i < rows; i++)
    {
        var time = start.AddTicks(i * step);
        if (file is null || fileBytes > PredictionLogOptions.DefaultMaxFileBytes)
        {
            file?.Dispose();
            file = new FileStream(Path.Combine(output, "log", PredictionLogFileName.For(time, "bench000")), FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
            fileBytes = 0;
        }

        var row = random.Next(table.RowCount);
        var inputs = new Dictionary<string, object?>(table.RawRow(row));
        if (i >= rows * 5 / 6 && inputs["Body Mass (g)"] is double mass)
        {
            inputs["Body Mass (g)"] = mass + massStd;
        }

        var label = table.Labels![row];
        var scored = new ScoredBatch(1, [label], [classes.Select(c => c == label ? 0.9f : 0.05f).ToArray()], null);
        buffer.ResetWrittenCount();
        PredictionLogLine.Write(buffer, new PredictionLogEntry($"req-{i:x}", time, RawColumns.FromRows(LayoutOf(inputs), [inputs]), scored), "penguins", "1.0.0", classes);
        file.Write(buffer.WrittenSpan);
        fileBytes += buffer.WrittenCount;
    }

    file?.Dispose();
    var bytes = Directory.EnumerateFiles(Path.Combine(output, "log")).Sum(f => new FileInfo(f).Length);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {rows:N0} predictions, {bytes / 1e6:F1} MB in {Directory.GetFiles(Path.Combine(output, "log")).Length} file(s), in {clock.Elapsed.TotalSeconds:F1} s"));
    return 0;
}

if (command == "analyze")
{
    var directory = Option("dir");
    var profile = await PackageJson.ReadAsync<DataProfile>(Path.Combine(directory, "profile.json"), CancellationToken.None);
    var manifest = await PackageJson.ReadAsync<ModelManifest>(Path.Combine(directory, "manifest.json"), CancellationToken.None);
    if (args.Contains("--cbpe"))
    {
        // A calibration check without maps: the analysis reads every row's probabilities and estimates per window.
        double[] perClass = [0.1, 0.1, 0.1];
        manifest = manifest with { Calibration = new ProbabilityCalibration(0.01, 0.01, true, "bench", [], new EstimationReference(1000, 0.3, perClass, [0.4, 0.3, 0.3], perClass, [0.4, 0.3, 0.3], null, null)) };
    }

    var files = PredictionLogReader.Files(Path.Combine(directory, "log"), null);
    var bytes = files.Sum(f => new FileInfo(f).Length);
    // The first pass includes compiling the code; .NET's tiered compilation then recompiles the hot loops with
    // profile data over the next second or so, so the steady rate is the pass after two unreported warm-up passes.
    foreach (var pass in new[] { "cold", "warm-up", "warm-up", "steady" })
    {
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        // Processor time beside wall time: on a machine shared with other builds, rows per CPU-second is the stable figure.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        if (args.Contains("--read-only") && pass == "steady")
        {
            // The reader alone, with every column, to see how the time splits between parsing and the statistics.
            var reader = new PredictionLogReader(
                profile.Columns.Where(c => c.Kind == FeatureKind.Numeric).Select(c => c.Name).ToArray(),
                profile.Columns.Where(c => c.Kind == FeatureKind.Categorical).Select(c => c.Name).ToArray(), readRequestIds: false);
            var read = await reader.ReadAsync(files, null, _ => { }, CancellationToken.None);
            var readCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read only: {read.Rows:N0} rows in {clock.Elapsed.TotalSeconds:F2} s: {read.Rows / clock.Elapsed.TotalSeconds:N0} rows/s, {read.Rows / readCpu.TotalSeconds:N0} rows per CPU-second"));
            cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
        }

        var report = await new MonitorAnalyzer(profile, manifest, MonitoringSpec.Default, "bench.yaml").AnalyzeAsync(files, null, null, DateTimeOffset.UtcNow, CancellationToken.None);
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        if (pass == "warm-up")
        {
            continue;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{pass}: analysed {report.Log.Rows:N0} rows ({bytes / 1e6:F0} MB, {files.Count} file(s), {report.Windows.Count} windows) in {elapsed.TotalSeconds:F2} s: {report.Log.Rows / elapsed.TotalSeconds:N0} rows/s ({report.Log.Rows / cpu.TotalSeconds:N0} rows per CPU-second), {bytes / 1e6 / elapsed.TotalSeconds:F0} MB/s; " +
            $"peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MiB, peak GC heap {gc.HeapSizeBytes / 1048576.0:F1} MiB (after last GC), allocated {allocated / 1048576.0:F0} MiB ({(double)allocated / Math.Max(1, report.Log.Rows):F0} B/row)"));
        Console.WriteLine($"  Body Mass (g): {report.Columns.Single(c => c.Column == "Body Mass (g)").Test} {report.Columns.Single(c => c.Column == "Body Mass (g)").Statistic:G3}, drift per window: {string.Join(" ", report.Windows.Select(w => w.Columns["Body Mass (g)"].Drifted ? "D" : "."))}");
    }

    return 0;
}

if (command == "incremental")
{
    // The volume stands in as DIR/log, streamed as a tar through a pipe the way the engine's archive API streams
    // it (every byte of every file crosses, nothing can seek). Full: the old fetch (the tar to a file, every file
    // extracted) and the analysis of every row. Incremental: a first run records its state; then NEW rows arrive in
    // a new file, and the second run copies only what changed and analyses only rows after the last run's.
    var directory = Option("dir");
    var newRows = int.Parse(Option("new", "10000"), CultureInfo.InvariantCulture);
    var profile = await PackageJson.ReadAsync<DataProfile>(Path.Combine(directory, "profile.json"), CancellationToken.None);
    var manifest = await PackageJson.ReadAsync<ModelManifest>(Path.Combine(directory, "manifest.json"), CancellationToken.None);
    var volume = Path.Combine(directory, "log");
    var analyzer = new MonitorAnalyzer(profile, manifest, MonitoringSpec.Default, "bench.yaml");

    async Task<long> FullAsync(string destination)
    {
        if (Directory.Exists(destination)) Directory.Delete(destination, true);
        Directory.CreateDirectory(destination);
        var tarFile = destination + ".tar";
        await using (var copy = File.Create(tarFile))
        {
            await StreamVolumeAsync(volume, stream => stream.CopyToAsync(copy));
        }

        await System.Formats.Tar.TarFile.ExtractToDirectoryAsync(tarFile, destination, overwriteFiles: true);
        File.Delete(tarFile);
        var report = await analyzer.AnalyzeAsync(PredictionLogReader.Files(destination, null), null, null, DateTimeOffset.UtcNow, CancellationToken.None);
        return report.Log.Rows;
    }

    async Task<(LogFetchState State, long Rows, int Copied, long Bytes)> IncrementalAsync(string destination, LogFetchState previous)
    {
        var since = previous.LastRow?.AddTicks(1);
        var (state, count, bytes) = (previous, 0, 0L);
        await StreamVolumeAsync(volume, async stream => (state, count, _, _, bytes) = await IncrementalLogCopy.CopyAsync(stream, destination, since, previous, CancellationToken.None));
        var report = await analyzer.AnalyzeAsync(PredictionLogReader.Files(destination, since), since, null, DateTimeOffset.UtcNow, CancellationToken.None);
        return (state with { LastRow = report.Until ?? previous.LastRow }, report.Log.Rows, count, bytes);
    }

    var fullDestination = Path.Combine(directory, "fetched-full");
    var incrementalDestination = Path.Combine(directory, "fetched-incremental");
    await FullAsync(fullDestination); // warm-up: compiles the code paths
    var (primed, primedRows, _, _) = await IncrementalAsync(incrementalDestination, LogFetchState.Empty);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first run: {primedRows:N0} rows, last row {primed.LastRow:O}"));

    // NEW rows arrive: a new hour's file, as the server rotates, after the last row.
    WriteRows(Path.Combine(volume, PredictionLogFileName.For(primed.LastRow!.Value.AddMinutes(1), "bench000")), primed.LastRow!.Value.AddMinutes(1), newRows, TimeSpan.FromMilliseconds(100).Ticks, profile, 7);
    var volumeBytes = Directory.EnumerateFiles(volume).Sum(f => new FileInfo(f).Length);

    var clock = Stopwatch.StartNew();
    var fullRows = await FullAsync(fullDestination);
    var full = clock.Elapsed;
    clock.Restart();
    var (_, incrementalRows, copiedFiles, copiedBytes) = await IncrementalAsync(incrementalDestination, primed);
    var incremental = clock.Elapsed;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"full read: fetched every file ({volumeBytes / 1e6:F0} MB) and analysed {fullRows:N0} rows in {full.TotalSeconds:F2} s"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"incremental read (--since=last): streamed past the old files, copied {copiedFiles} file(s) ({copiedBytes / 1e6:F1} MB), analysed {incrementalRows:N0} new rows in {incremental.TotalSeconds:F2} s ({full.TotalSeconds / incremental.TotalSeconds:F0}x faster)"));
    return 0;
}

Console.Error.WriteLine("usage: MonitorBench generate --rows=N --out=DIR [--repository=PATH] | analyze --dir=DIR | incremental --dir=DIR [--new=N]");
return 2;

// Streams the folder as a tar through an OS pipe: a reader cannot seek, so every byte crosses as from the engine.
static async Task StreamVolumeAsync(string folder, Func<Stream, Task> consume)
{
    using var server = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
    using var client = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, server.ClientSafePipeHandle);
    var writer = Task.Run(async () =>
    {
        await System.Formats.Tar.TarFile.CreateFromDirectoryAsync(folder, server, includeBaseDirectory: true);
        server.Dispose();
    });
    await consume(client);
    await writer;
}

// Penguin rows as the server logs them, one every tickStep from start, into one file.
static void WriteRows(string path, DateTimeOffset start, long rows, long tickStep, DataProfile profile, int seed)
{
    string[] classes = ["Adelie", "Chinstrap", "Gentoo"];
    var random = new Random(seed);
    var numeric = profile.Columns.Where(c => c.Kind == FeatureKind.Numeric).ToArray();
    var buffer = new ArrayBufferWriter<byte>(1 << 16);
    using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
    for (long i = 0; i < rows; i++)
    {
        var inputs = numeric.ToDictionary(c => c.Name, c => (object?)(c.Numeric!.Mean + (c.Numeric.StdDev * (random.NextDouble() - 0.5))));
        inputs["Island"] = "Biscoe";
        inputs["Sex"] = "MALE";
        var label = classes[random.Next(3)];
        var scored = new ScoredBatch(1, [label], [classes.Select(c => c == label ? 0.9f : 0.05f).ToArray()], null);
        buffer.ResetWrittenCount();
        PredictionLogLine.Write(buffer, new PredictionLogEntry($"new-{i:x}", start.AddTicks(i * tickStep), RawColumns.FromRows(LayoutOf(inputs), [inputs]), scored), "penguins", "1.0.0", classes);
        file.Write(buffer.WrittenSpan);
    }
}

static ModelManifest Manifest(DataProfile profile) => new()
{
    Pipeline = "penguins",
    Version = "1.0.0",
    Created = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
    Trainer = "sdca",
    TrainerParameters = new Dictionary<string, string>(),
    PrimaryMetric = "macro_accuracy",
    CrossValidation = new Dictionary<string, IReadOnlyDictionary<string, MetricSummary>>(),
    Gates = [],
    Signature = new ModelSignature(
        ModelTask.Multiclass,
        profile.Columns.Where(c => c.Kind is FeatureKind.Numeric or FeatureKind.Categorical)
            .Select(c => new ModelInput(c.Name, c.Name, c.Kind, c.Kind == FeatureKind.Numeric ? "FP32" : "BYTES")).ToArray(),
        [],
        ["Adelie", "Chinstrap", "Gentoo"]),
    Preprocessing = new PreprocessingSpec([], []),
    Parity = new ParityResult(true, 0, 0, 0, "none"),
    Lineage = new ModelLineage("penguins.csv", "bench", "bench.yaml", "bench", "none", false, 42),
    ToolVersions = new Dictionary<string, string>(),
    Files = new Dictionary<string, string>(),
};

// The log writes a request's rows as the columns it was read into; every bench row has the same columns, so one
// layout serves them all.
static RawColumnLayout LayoutOf(IReadOnlyDictionary<string, object?> row) => BenchLayout.Of(row);

static class BenchLayout
{
    private static RawColumnLayout? _layout;

    public static RawColumnLayout Of(IReadOnlyDictionary<string, object?> row)
    {
        if (_layout is null)
        {
            var names = row.Keys.Order(StringComparer.Ordinal).ToArray();
            _layout = new RawColumnLayout(names, names.Select(n => row[n] is double).ToArray());
        }

        return _layout;
    }
}
