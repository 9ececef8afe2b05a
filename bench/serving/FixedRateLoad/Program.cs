using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Layercake.Bench.FixedRateLoad;

// FixedRateLoad --url=http://127.0.0.1:8080/invocations --body=BODY.json --rate=5000 [--seconds=10] [--connections=16] [--warmup=2]
// Open loop: request i is due at start + i / rate, whatever happened to the ones before it. A pacer releases each
// request when it is due, and one of the keep-alive connections sends it as soon as one is free; its latency is
// counted from when it was due, not from when it was sent, so a server that stalls is charged for every request it
// held up (coordinated omission, the flaw of closed-loop tools such as wrk). Prints one line:
//   rate=<target> achieved=<completed/s> p50=<ms> p90=<ms> p99=<ms> p999=<ms> max=<ms> non2xx=<n> errors=<n> late_p99=<ms>
// late_p99 is how late the pacer itself released requests (its timer error and scheduling delays on a busy machine, which
// are charged to the server too): small against p99 means the figures are the server's, and achieved = rate that it held.
var options = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a[2..].Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
string Option(string name, string? fallback = null) => options.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name}= is required");
var url = new Uri(Option("url"));
var body = File.ReadAllBytes(Option("body"));
var rate = double.Parse(Option("rate"), CultureInfo.InvariantCulture);
var seconds = double.Parse(Option("seconds", "10"), CultureInfo.InvariantCulture);
var warmup = double.Parse(Option("warmup", "2"), CultureInfo.InvariantCulture);
var connectionCount = int.Parse(Option("connections", "16"), CultureInfo.InvariantCulture);
if (rate <= 0 || seconds <= 0 || connectionCount <= 0)
{
    Console.Error.WriteLine("error: --rate, --seconds and --connections must be positive");
    return 2;
}

var request = HttpConnection.PostRequest(url, body, Option("content-type", "application/json"));
var total = (long)Math.Ceiling(rate * (warmup + seconds));
var measuredFrom = (long)Math.Ceiling(rate * warmup);
var latencies = new double[total - measuredFrom];
Array.Fill(latencies, double.NaN); // a request that failed keeps NaN and is counted in errors, not in the latencies
var lateness = new double[total - measuredFrom];
var due = new BlockingCollection<long>(new ConcurrentQueue<long>());
var clock = Stopwatch.StartNew();
var ticksPerRequest = Stopwatch.Frequency / rate;
long non2xx = 0, errors = 0, completed = 0;

var workers = Enumerable.Range(0, connectionCount).Select(_ => new Thread(() =>
{
    HttpConnection? connection = null;
    foreach (var i in due.GetConsumingEnumerable())
    {
        var dueAt = (long)(i * ticksPerRequest);
        int status;
        try
        {
            connection ??= HttpConnection.Open(url);
            status = connection.Send(request);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidDataException)
        {
            connection?.Dispose();
            connection = null;
            if (Interlocked.Increment(ref errors) == 1)
            {
                Console.Error.WriteLine($"first error: {ex.GetType().Name}: {ex.Message}");
            }

            continue;
        }

        var done = clock.ElapsedTicks;
        if (i >= measuredFrom)
        {
            latencies[i - measuredFrom] = (done - dueAt) * 1000.0 / Stopwatch.Frequency;
            Interlocked.Increment(ref completed);
            if (status is < 200 or > 299)
            {
                Interlocked.Increment(ref non2xx);
            }
        }
    }

    connection?.Dispose();
}) { IsBackground = true }).ToArray();
foreach (var worker in workers)
{
    worker.Start();
}

Pacer.Run(clock, ticksPerRequest, total, (i, late) =>
{
    if (i >= measuredFrom)
    {
        lateness[i - measuredFrom] = late * 1000.0 / Stopwatch.Frequency;
    }

    due.Add(i);
});
due.CompleteAdding();
var measuredStart = measuredFrom * ticksPerRequest;
foreach (var worker in workers)
{
    worker.Join();
}

var elapsed = (clock.ElapsedTicks - measuredStart) / Stopwatch.Frequency;
var measured = latencies.Where(l => !double.IsNaN(l)).ToArray();
Array.Sort(measured);
var late = lateness.ToArray();
Array.Sort(late);
static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"rate={rate:0} achieved={completed / elapsed:0} p50={Percentile(measured, 0.5):0.000} p90={Percentile(measured, 0.9):0.000} p99={Percentile(measured, 0.99):0.000} p999={Percentile(measured, 0.999):0.000} max={(measured.Length > 0 ? measured[^1] : double.NaN):0.000} non2xx={non2xx} errors={errors} late_p99={Percentile(late, 0.99):0.000}"));
return 0;
