using Layercake.Runtime.Scoring;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Settings;
using Layercake.Serving.Inference;
using Layercake.Serving.Admission;
using Layercake.Serving.PredictionLog;
using Layercake.Serving.Security;

namespace Layercake.Serving.Hosting;

/// <summary>
/// What a server is started with. Defaults suit one model in one container: 20 MB bodies (MLflow allows 5)
/// and 10,000 rows a request.
/// </summary>
internal sealed record ServingOptions
{
    public string ModelDirectory { get; init; } = ServingContainer.ModelDirectory;
    public int Port { get; init; } = ServingContainer.Port;
    public string BindAddress { get; init; } = "0.0.0.0";
    public int MaxRows { get; init; } = 10_000;
    public long MaxBodyBytes { get; init; } = 20 * 1024 * 1024;
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sets SO_REUSEPORT on the listening socket, so a new version can listen on the same port beside the old
    /// one during a switch (Linux; the kernel spreads new connections across both).
    /// </summary>
    public bool ReusePort { get; init; }

    /// <summary>
    /// A second port on loopback that only this process listens on. With <see cref="ReusePort"/>, a probe of the
    /// shared port may reach another instance; the deploy and the health check ask this one instead.
    /// </summary>
    public int? AdminPort { get; init; }

    /// <summary>A request column the model does not take fails the request, instead of being skipped and counted.</summary>
    public bool StrictColumns { get; init; }

    /// <summary>How concurrent requests are gathered into one ONNX Runtime call.</summary>
    public BatchingOptions Batching { get; init; } = new();

    /// <summary><c>managed</c> or <c>onnxruntime</c> forces that scorer; null lets the package's parity record decide.</summary>
    public string? Scorer { get; init; }

    /// <summary>Where and how predictions are logged for monitoring; null (the default) logs none.</summary>
    public PredictionLogOptions? PredictionLog { get; init; }

    /// <summary>Who may call the model; off unless tokens are configured.</summary>
    public AuthOptions Auth { get; init; } = AuthOptions.Off;

    /// <summary>The certificate and key of HTTPS on the server's port; null (the default) serves plain HTTP.</summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>The bound on scoring requests in progress; unbounded unless set.</summary>
    public AdmissionOptions Admission { get; init; } = AdmissionOptions.Unbounded;

    /// <summary>Reads <c>--name=value</c> switches and <see cref="ServingEnvironmentVariables"/>; the switch wins.</summary>
    public static ServingOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        string? Value(string name, string variable) =>
            args.Where(a => a.StartsWith($"--{name}=", StringComparison.Ordinal)).Select(a => a[(name.Length + 3)..]).LastOrDefault()
            ?? environment(variable);

        var options = new ServingOptions();
        if (Value("model", ServingEnvironmentVariables.ModelDirectory) is { } model) options = options with { ModelDirectory = model };
        if (Value("port", ServingEnvironmentVariables.Port) is { } port) options = options with { Port = Positive(port, "port", 65535) };
        if (Value("bind", ServingEnvironmentVariables.BindAddress) is { } bind) options = options with { BindAddress = bind };
        if (Value("max-rows", ServingEnvironmentVariables.MaxRows) is { } rows) options =
            options with { MaxRows = Positive(rows, "max-rows", int.MaxValue) };
        if (Value("max-body-bytes", ServingEnvironmentVariables.MaxBodyBytes) is { } bytes) options =
            options with { MaxBodyBytes = Positive(bytes, "max-body-bytes", int.MaxValue) };
        if (Value("reuse-port", ServingEnvironmentVariables.ReusePort) is { } reuse) options =
            options with { ReusePort = reuse is "1" or "true" };
        if (Value("strict-columns", ServingEnvironmentVariables.StrictColumns) is { } strict) options =
            options with { StrictColumns = strict is "1" or "true" };
        if (Value("shutdown-seconds", ServingEnvironmentVariables.ShutdownSeconds) is { } drain) options =
            options with { ShutdownTimeout = TimeSpan.FromSeconds(Positive(drain, "shutdown-seconds", 3600)) };
        if (Value("admin-port", ServingEnvironmentVariables.AdminPort) is { Length: > 0 } admin) options =
            options with { AdminPort = Positive(admin, "admin-port", 65535) };
        options = WithBatching(options, Value);
        if (Value("scorer", ServingEnvironmentVariables.Scorer) is { Length: > 0 } scorer)
        {
            options = options with
            {
                Scorer = ScorerNames.IsKnown(scorer) ? scorer
                    : throw new ArgumentException($"--scorer={scorer}: expected managed or onnxruntime."),
            };
        }

        return options with
        {
            PredictionLog = PredictionLogOptions.Parse(Value),
            Auth = AuthOptions.Parse(Value),
            Tls = TlsOptions.Parse(Value),
            Admission = AdmissionOptions.Parse(Value),
        };
    }

    /// <summary>The batching switches: how many rows a call takes, how long it waits, and whether it defers while busy.</summary>
    private static ServingOptions WithBatching(ServingOptions options, Func<string, string, string?> setting)
    {
        if (setting("batch-max-rows", ServingEnvironmentVariables.BatchMaxRows) is { } batchRows) options =
            options with { Batching = options.Batching with { MaxRows = Positive(batchRows, "batch-max-rows", 100_000) } };
        if (setting("batch-max-wait-us", ServingEnvironmentVariables.BatchMaxWaitMicroseconds) is { } wait)
        {
            var micros = wait == "0" ? 0 : Positive(wait, "batch-max-wait-us", 1_000_000);
            options = options with { Batching = options.Batching with { MaxWait = TimeSpan.FromMicroseconds(micros) } };
        }

        if (setting("batch-arrival-wait-us", ServingEnvironmentVariables.BatchArrivalWaitMicroseconds) is { } arrival)
        {
            var micros = arrival == "0" ? 0 : Positive(arrival, "batch-arrival-wait-us", 1_000_000);
            options = options with { Batching = options.Batching with { ArrivalWait = TimeSpan.FromMicroseconds(micros) } };
        }

        if (setting("batch-defer", ServingEnvironmentVariables.BatchDeferWhileBusy) is { } defer)
        {
            options = options with
            {
                Batching = options.Batching with
                {
                    DeferWhileBusy = defer switch
                    {
                        "1" or "true" => true,
                        "0" or "false" => false,
                        _ => throw new ArgumentException($"--batch-defer={defer}: expected 1 or 0 (true or false)."),
                    },
                },
            };
        }

        return options;
    }

    private static int Positive(string text, string name, int maximum) =>
        int.TryParse(text, out var value) && value > 0 && value <= maximum
            ? value
            : throw new ArgumentException($"--{name}={text}: expected a whole number from 1 to {maximum}.");
}
