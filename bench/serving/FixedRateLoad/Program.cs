using System.Globalization;
using System.Text;
using Layercake.Bench.FixedRateLoad;

// FixedRateLoad --url=http://127.0.0.1:8080/invocations --body=BODY.json --rate=5000 [--seconds=10] [--connections=16] [--warmup=2]
//   [--when-busy=wait|drop]
// Open loop: request i is due at start + i / rate, whatever happened to the ones before it. Each is sent when it is due
// on a free keep-alive connection, and its latency is counted from when it was due, not from when it was sent, so a
// server that stalls is charged for every request it held up (coordinated omission, the flaw of closed-loop tools such
// as wrk). The client is one thread waiting in ppoll (OpenLoop), so on a small machine its own scheduling adds little.
// Prints one line:
//   rate=<target> achieved=<completed/s> p50=<ms> p90=<ms> p99=<ms> p999=<ms> max=<ms> non2xx=<n> errors=<n> late_p99=<ms> p99_2xx=<ms>
//   dropped=<n>
// --when-busy=drop drops a request due while all connections are busy (counted in dropped) instead of queueing it in the
// client: for loads past what the connections can carry, where queueing would measure the client's own backlog.
// late_p99 is how late the client itself released requests (its timer error and scheduling delays on a busy machine, which
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

var head = $"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: {Option("content-type", "application/json")}\r\nContent-Length: {body.Length}\r\n\r\n";
byte[] request = [.. Encoding.ASCII.GetBytes(head), .. body];
var whenBusy = Option("when-busy", "wait");
if (whenBusy is not ("wait" or "drop"))
{
    Console.Error.WriteLine($"error: --when-busy={whenBusy}: expected wait or drop");
    return 2;
}

var result = OpenLoop.Run(url, request, rate, seconds, warmup, connectionCount, whenBusy == "drop");
var measured = result.Latencies.Where(l => !double.IsNaN(l)).ToArray();
Array.Sort(measured);
// The answers that were served, apart from refusals (a server shedding load answers 503s fast, which would flatter p99).
var ok = result.Latencies.Where((l, i) => !double.IsNaN(l) && result.Statuses[i] is >= 200 and <= 299).ToArray();
Array.Sort(ok);
var late = result.Lateness.ToArray();
Array.Sort(late);
static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"rate={rate:0} achieved={measured.Length / result.MeasuredSeconds:0} p50={Percentile(measured, 0.5):0.000} p90={Percentile(measured, 0.9):0.000} p99={Percentile(measured, 0.99):0.000} p999={Percentile(measured, 0.999):0.000} max={(measured.Length > 0 ? measured[^1] : double.NaN):0.000} non2xx={result.Non2xx} errors={result.Errors} late_p99={Percentile(late, 0.99):0.000}") +
    string.Create(CultureInfo.InvariantCulture, $" p99_2xx={Percentile(ok, 0.99):0.000} dropped={result.Dropped}"));
return 0;
