using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Hosting;
using Layercake.Serving.Inference;
using Layercake.Serving.Observability;
using Layercake.Serving.Protocols;
using Layercake.Serving.Protocols.Mlflow;
using Layercake.Serving.Protocols.OpenInference;
using Layercake.Serving.Protocols.Responses;

// Where a single-row request's time goes.
//   ServingProfile --model=DIR --mlflow=BODY.json --oip=BODY.json [--iterations=20000] [--seconds=5] [--connections=16] [--batch-max-rows=64]
//   ServingProfile --model=DIR --mlflow=BODY.json --oip=BODY.json --batch=BODY.json --phases-only   (part 1 alone)
//     [--oip-batch=BODY.bin --oip-batch-json-length=N]   (also a batch in Open Inference's binary tensor form)
//   ServingProfile --model=DIR --ort-batch=BODY.json [--scorer=onnxruntime|managed] [--seconds=5]
//     (rows/s of the scorer alone on the prepared rows, every core; ONNX Runtime unless named)
//   ServingProfile --model=DIR --mlflow=BODY.json --sessions=50   (session creation with and without the pre-optimised model)
// Part 1 times each phase of the MLflow predict path in this process, one thread, after a warm-up.
// Part 2 serves the model in this process and runs wrk against health, MLflow and Open Inference; this process's
// CPU time divided by the requests wrk completed is the server's CPU per request (wrk's own CPU is its process's).
var options = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a[2..].Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
string Option(string name, string? fallback = null) => options.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name}= is required");
var modelDirectory = Option("model");
if (options.TryGetValue("ort-batch", out var batchFile))
{
    return BatchRowsPerSecond(modelDirectory, File.ReadAllBytes(batchFile), int.Parse(Option("seconds", "5"), CultureInfo.InvariantCulture),
        Option("scorer", ScorerNames.OnnxRuntime));
}

if (options.TryGetValue("sessions", out var sessions))
{
    return Layercake.Bench.Serving.SessionStartup.Run(modelDirectory, File.ReadAllBytes(Option("mlflow")), int.Parse(sessions, CultureInfo.InvariantCulture));
}

var mlflowBody = File.ReadAllBytes(Option("mlflow"));
var oipFile = Option("oip");
var iterations = int.Parse(Option("iterations", "20000"), CultureInfo.InvariantCulture);
var seconds = int.Parse(Option("seconds", "5"), CultureInfo.InvariantCulture);
var connections = int.Parse(Option("connections", "16"), CultureInfo.InvariantCulture);

// The first load in a process pays for ONNX Runtime's library and environment as well as the session.
var loading = Stopwatch.StartNew();
using var model = LoadedModel.Load(modelDirectory);
var firstLoad = loading.Elapsed;
loading.Restart();
LoadedModel.Load(modelDirectory).Dispose();
var secondLoad = loading.Elapsed;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Model load: first in the process {firstLoad.TotalMilliseconds:0} ms (ONNX Runtime's library, environment and the session), again {secondLoad.TotalMilliseconds:0} ms (the session alone)"));
Console.WriteLine();
var metrics = new ServingMetrics();
var predictor = new Predictor(model, metrics);

ProfilePhases(model, predictor, mlflowBody, File.ReadAllBytes(oipFile), iterations, "Single-row");
if (options.TryGetValue("batch", out var batchBody))
{
    var body = File.ReadAllBytes(batchBody);
    ProfilePhases(model, predictor, body, null, Math.Max(20, iterations / 500), $"{MlflowJsonReader.Read(body, model, 100_000).RowCount:N0}-row");
}

if (options.TryGetValue("oip-batch", out var binaryBatch))
{
    var jsonLength = Option("oip-batch-json-length");
    ProfileBinaryPhases(model, predictor, File.ReadAllBytes(binaryBatch), jsonLength, Math.Max(20, iterations / 500));
}

if (options.ContainsKey("phases-only"))
{
    return 0;
}

var port = FreePort();
var batching = new BatchingOptions(int.Parse(Option("batch-max-rows", "64"), CultureInfo.InvariantCulture));
loading.Restart();
var app = await ServingApp.BuildAsync(new ServingOptions { ModelDirectory = modelDirectory, Port = port, BindAddress = "127.0.0.1", Batching = batching }, Serilog.Core.Logger.None);
// The MLflow request path without the model: the same middleware, body read, checks and response writer, with the
// prediction a canned one (the body's own, scored once here). Against POST /invocations it prices the model's part
// of a request in a server, preprocessing and ONNX Runtime, which a tight loop prices too low
// (docs/decisions/0045-model-cost-in-a-server-and-deferred-calls.md).
var canned = predictor.PredictAsync(MlflowJsonReader.Read(mlflowBody, model, 100)).AsTask().GetAwaiter().GetResult();
app.MapPost("/bench/invocations-without-model", async (HttpContext context) =>
{
    using var body = await RequestBody.ReadAsync(context);
    var rows = MlflowJsonReader.Read(body.Span, model, 10_000);
    return rows.RowCount == canned.RowCount ? ResponseWriter.Mlflow(model, canned, context.TraceIdentifier) : Results.BadRequest();
});
await app.StartAsync();
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Server build and start (a warm session load included, JIT): {loading.Elapsed.TotalMilliseconds:0} ms"));
var mlflowFile = Option("mlflow");
var endpoints = new (string Name, string Path, string? Body)[]
{
    ("GET /v2/health/ready", "/v2/health/ready", null),
    ("POST /invocations, read and answered without the model", "/bench/invocations-without-model", mlflowFile),
    ("POST /invocations", "/invocations", mlflowFile),
    ("POST /v2/models/{name}/infer", $"/v2/models/{model.Name}/infer", oipFile),
};

Console.WriteLine();
Console.WriteLine($"Server CPU per request under wrk ({connections} connections, {seconds} s each, batches of up to {batching.MaxRows} rows, server and wrk on the same {Environment.ProcessorCount} cores)");
Console.WriteLine();
Console.WriteLine("| endpoint | requests/s | server CPU µs per request |");
Console.WriteLine("| --- | ---: | ---: |");
foreach (var (name, path, body) in endpoints)
{
    Wrk(port, path, body, 2, connections);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var (requests, rate) = Wrk(port, path, body, seconds, connections);
    var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {rate:N0} | {used.TotalMicroseconds / Math.Max(1, requests):0.0} |"));
}

using (var http = new HttpClient())
{
    var lines = (await http.GetStringAsync($"http://127.0.0.1:{port}/metrics")).Split('\n');
    double Sum(string name) => lines.Where(l => l.StartsWith(name + "{", StringComparison.Ordinal)).Sum(l => double.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture));
    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ONNX Runtime calls: {Sum("layercake_batch_rows_count"):N0} for {Sum("layercake_batch_rows_sum"):N0} rows ({Sum("layercake_batch_rows_sum") / Math.Max(1, Sum("layercake_batch_rows_count")):0.00} rows per call); mean queue wait {1e6 * Sum("layercake_batch_queue_wait_seconds_sum") / Math.Max(1, Sum("layercake_batch_queue_wait_seconds_count")):0.0} µs; "
        + $"mean ONNX Runtime call {1e6 * Sum("layercake_inference_seconds_sum") / Math.Max(1, Sum("layercake_inference_seconds_count")):0.0} µs and preprocessing {1e6 * Sum("layercake_preprocessing_seconds_sum") / Math.Max(1, Sum("layercake_preprocessing_seconds_count")):0.0} µs a request, as the server's /metrics timed them under load"));
}

await app.StopAsync();
return 0;

static (long Requests, double Rate) Wrk(int port, string path, string? body, int seconds, int connections)
{
    var script = Path.Combine(AppContext.BaseDirectory, "post.lua");
    var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true };
    foreach (var argument in new[] { "-t2", $"-c{connections}", $"-d{seconds}s" })
    {
        start.ArgumentList.Add(argument);
    }

    if (body is not null)
    {
        File.WriteAllText(script, "local f = assert(io.open(os.getenv(\"BODY_FILE\"), \"r\"))\nwrk.method = \"POST\"\nwrk.body = f:read(\"*a\")\nf:close()\nwrk.headers[\"Content-Type\"] = \"application/json\"\n", Encoding.UTF8);
        start.ArgumentList.Add("-s");
        start.ArgumentList.Add(script);
        start.Environment["BODY_FILE"] = body;
    }

    start.ArgumentList.Add($"http://127.0.0.1:{port}{path}");
    using var wrk = Process.Start(start)!;
    var output = wrk.StandardOutput.ReadToEnd();
    wrk.WaitForExit();
    var requests = output.Split('\n').Select(l => l.Trim()).First(l => l.Contains(" requests in ", StringComparison.Ordinal)).Split(' ')[0];
    var rate = output.Split('\n').First(l => l.StartsWith("Requests/sec:", StringComparison.Ordinal)).Split(':')[1].Trim();
    if (output.Contains("Non-2xx", StringComparison.Ordinal))
    {
        throw new InvalidOperationException($"wrk saw errors on {path}:\n{output}");
    }

    return (long.Parse(requests, CultureInfo.InvariantCulture), double.Parse(rate, CultureInfo.InvariantCulture));
}

static void ProfilePhases(LoadedModel model, Predictor predictor, byte[] mlflowBody, byte[]? oipBody, int iterations, string what)
{
    var rows = MlflowJsonReader.Read(mlflowBody, model, 100_000);
    var batch = model.Preprocessor.Transform(rows);
    var scored = model.Scorer.Score(batch);
    var phases = new List<(string Name, Action Run)>
    {
        // One forward pass reads the JSON, checks every value and fills the raw columns
        // (docs/decisions/0042-requests-read-forward.md).
        ("JSON read into checked rows (MlflowJsonReader)", () => MlflowJsonReader.Read(mlflowBody, model, 100_000)),
        ("preprocessing (FeaturePreprocessor)", () => model.Preprocessor.Transform(rows)),
        ("ONNX Runtime call (OnnxModelScorer)", () => model.Scorer.Score(batch)),
        ("response JSON (ResponseWriter.Mlflow)", () => Send(ResponseWriter.Mlflow(model, scored, "0192f0c4-0000-7000-8000-000000000000"))),
        ("all of the above (Predictor included)", () =>
        {
            var result = predictor.PredictAsync(MlflowJsonReader.Read(mlflowBody, model, 100_000)).AsTask().GetAwaiter().GetResult();
            Send(ResponseWriter.Mlflow(model, result, "0192f0c4-0000-7000-8000-000000000000"));
        }),
    };

    if (oipBody is not null)
    {
        phases.Insert(1, ("Open Inference JSON read into checked rows (OpenInferenceJsonReader)", () => OpenInferenceJsonReader.Read(oipBody, model, 100_000)));
    }

    TimePhases($"{what} predict path", [.. phases], iterations);
}

// The same for an Open Inference request in the binary tensor data extension's form, answered in binary (as the body
// asks) and, for comparison, as Open Inference JSON.
static void ProfileBinaryPhases(LoadedModel model, Predictor predictor, byte[] body, string jsonLength, int iterations)
{
    var request = OpenInferenceBinaryRequest.Parse(body, jsonLength, model, 100_000);
    var batch = model.Preprocessor.Transform(request.Rows);
    var scored = model.Scorer.Score(batch);
    var phases = new (string Name, Action Run)[]
    {
        ("JSON and tensors read and checked (OpenInferenceBinaryRequest)", () => OpenInferenceBinaryRequest.Parse(body, jsonLength, model, 100_000)),
        ("preprocessing (FeaturePreprocessor)", () => model.Preprocessor.Transform(request.Rows)),
        ("ONNX Runtime call (OnnxModelScorer)", () => model.Scorer.Score(batch)),
        ("response, binary outputs (BinaryResponseWriter)", () => Send(BinaryResponseWriter.Infer(model, "r", scored, request.Outputs, request.BinaryOutputs))),
        ("response, for comparison Open Inference JSON (ResponseWriter.Infer)", () => Send(ResponseWriter.Infer(model, "r", scored, request.Outputs))),
        ("binary in, binary out (Predictor included)", () =>
        {
            var parsed = OpenInferenceBinaryRequest.Parse(body, jsonLength, model, 100_000);
            var result = predictor.PredictAsync(parsed.Rows).AsTask().GetAwaiter().GetResult();
            Send(BinaryResponseWriter.Infer(model, "r", result, parsed.Outputs, parsed.BinaryOutputs));
        }),
    };

    TimePhases($"{request.Rows.RowCount:N0}-row Open Inference binary predict path", phases, iterations);
}

// Sends a response into nothing, as the server would to a client, so its pooled buffer goes back to its pool.
static void Send(IResult result) =>
    result.ExecuteAsync(new Microsoft.AspNetCore.Http.DefaultHttpContext { Response = { Body = Stream.Null } }).GetAwaiter().GetResult();

static void TimePhases(string what, (string Name, Action Run)[] phases, int iterations)
{
    Console.WriteLine($"{what}, in process, one thread, {iterations:N0} iterations each ({Environment.ProcessorCount} cores; other work on the machine adds noise)");
    Console.WriteLine();
    // CPU time as well as elapsed time: on a machine shared with other work, elapsed time counts the waits for a core.
    Console.WriteLine("| phase | CPU µs per request | elapsed µs per request | bytes allocated per request |");
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    foreach (var (name, run) in phases)
    {
        // Enough calls, and pauses, for the JIT to take the phase's methods through its tiers (unoptimised, instrumented,
        // optimised: 30 calls each, then a background compile once 100 ms pass without new methods), so a phase of few
        // iterations is not timed in unoptimised code; the server itself is compiled ahead of time.
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < Math.Max(iterations / 10, 50); i++)
            {
                run();
            }

            Thread.Sleep(250);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            run();
        }

        var micros = clock.Elapsed.TotalMicroseconds / iterations;
        var cpuMicros = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / iterations;
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / iterations;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {cpuMicros:0.0} | {micros:0.0} | {bytes:N0} |"));
    }

    Console.WriteLine();
}

// In-process ONNX Runtime on a prepared batch (the body's rows), one call per thread at a time on every core, as the
// server would use them: the rows/s a batch request to the server is compared with. Prints the figure alone.
// The scorer is named, never the package's choice: the batch goal compares the server with ONNX Runtime itself, and a
// package that chose the managed scorer would otherwise be compared with that.
static int BatchRowsPerSecond(string modelDirectory, byte[] body, int seconds, string scorer)
{
    using var model = LoadedModel.Load(modelDirectory, forced: scorer);
    var batch = model.Preprocessor.Transform(MlflowJsonReader.Read(body, model, 100_000));
    model.Scorer.Score(batch);
    long rows = 0;
    var clock = Stopwatch.StartNew();
    Parallel.For(0, Environment.ProcessorCount, _ =>
    {
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            model.Scorer.Score(batch);
            Interlocked.Add(ref rows, batch.RowCount);
        }
    });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows / clock.Elapsed.TotalSeconds:0}"));
    return 0;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
