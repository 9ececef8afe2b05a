using System.Globalization;

namespace Layercake.Runtime.Settings;

/// <summary>
/// The environment variables the model server reads: set by the image and by the deployment targets, read by the
/// server's options. Each but <see cref="LogLevel"/> has a <c>--switch</c> of the same meaning, which wins. Operators
/// and scripts (bench/serving) set them by name too, so a rename is a breaking change.
/// </summary>
public static class ServingEnvironmentVariables
{
    public const string ModelDirectory = "LAYERCAKE_MODEL_DIR";
    public const string Port = "LAYERCAKE_PORT";
    public const string BindAddress = "LAYERCAKE_BIND";
    public const string MaxRows = "LAYERCAKE_MAX_ROWS";
    public const string MaxBodyBytes = "LAYERCAKE_MAX_BODY_BYTES";

    /// <summary>"1" or "true": SO_REUSEPORT, so two versions can listen on one port during a switch.</summary>
    public const string ReusePort = "LAYERCAKE_REUSE_PORT";

    /// <summary>
    /// "1" or "true": a column the model does not take fails the request. By default such a column (an ID, an ignored
    /// column) is skipped and counted in /metrics, as MLflow's scoring server skips it.
    /// </summary>
    public const string StrictColumns = "LAYERCAKE_STRICT_COLUMNS";
    public const string ShutdownSeconds = "LAYERCAKE_SHUTDOWN_SECONDS";
    public const string AdminPort = "LAYERCAKE_ADMIN_PORT";
    public const string LogLevel = "LAYERCAKE_LOG_LEVEL";

    /// <summary>
    /// Rows in one call when concurrent requests are gathered (default 64 with ONNX Runtime, 1 with the managed scorer);
    /// 1 turns batching off.
    /// </summary>
    public const string BatchMaxRows = "LAYERCAKE_BATCH_MAX_ROWS";

    /// <summary>Microseconds a gathered call waits for more rows before it runs (default 0: it takes what queued meanwhile).</summary>
    public const string BatchMaxWaitMicroseconds = "LAYERCAKE_BATCH_MAX_WAIT_US";

    /// <summary>
    /// Microseconds a call may yield to small requests already being read, so they join it (default 0: never). It waits
    /// only while such requests exist, so a lone client never waits.
    /// </summary>
    public const string BatchArrivalWaitMicroseconds = "LAYERCAKE_BATCH_ARRIVAL_WAIT_US";

    /// <summary>
    /// <c>1</c> (default): a call for an idle model goes behind the server's waiting work under load, so it gathers more
    /// requests; <c>0</c>: every idle-model call is made at once.
    /// </summary>
    public const string BatchDeferWhileBusy = "LAYERCAKE_BATCH_DEFER";

    /// <summary>
    /// <c>managed</c> or <c>onnxruntime</c>: the scorer the server uses whatever the package's parity record says
    /// (docs/decisions/0061-scorer-parity-gate-and-fallback.md); unset, the record decides, and a package without one is served by ONNX
    /// Runtime.
    /// </summary>
    public const string Scorer = "LAYERCAKE_SCORER";

    /// <summary>The folder of the prediction log; unset, empty or <c>off</c> (any case), nothing is logged.</summary>
    public const string PredictionLog = "LAYERCAKE_PREDICTION_LOG";
    public const string PredictionLogCapacity = "LAYERCAKE_PREDICTION_LOG_CAPACITY";
    public const string PredictionLogMaxRows = "LAYERCAKE_PREDICTION_LOG_MAX_ROWS";

    /// <summary>Days a log file is kept; 0 keeps them all.</summary>
    public const string PredictionLogKeepDays = "LAYERCAKE_PREDICTION_LOG_KEEP_DAYS";
    public const string PredictionLogMaxBytes = "LAYERCAKE_PREDICTION_LOG_MAX_BYTES";
    public const string PredictionLogRotateMinutes = "LAYERCAKE_PREDICTION_LOG_ROTATE_MINUTES";
    public const string PredictionLogSample = "LAYERCAKE_PREDICTION_LOG_SAMPLE";

    /// <summary>A file of tokens (one a line) a caller must present; re-read when it changes. Unset: no authentication.</summary>
    public const string AuthTokensFile = "LAYERCAKE_AUTH_TOKENS_FILE";

    /// <summary>The name of another variable that holds the tokens (one a line), for a laptop's <c>docker run</c>.</summary>
    public const string AuthTokensVariable = "LAYERCAKE_AUTH_TOKENS_ENV";

    /// <summary><c>open</c>: /metrics answers without a token while authentication is on; <c>protected</c> (default) not.</summary>
    public const string AuthMetrics = "LAYERCAKE_AUTH_METRICS";

    /// <summary>PEM certificate (chain) and private key: the server's port speaks HTTPS. The loopback admin port stays HTTP.</summary>
    public const string TlsCertificate = "LAYERCAKE_TLS_CERTIFICATE";
    public const string TlsKey = "LAYERCAKE_TLS_KEY";

    /// <summary>Scoring requests in progress at most; past it (and its queue time), new ones get a fast 503. Unset: no bound.</summary>
    public const string MaxConcurrentRequests = "LAYERCAKE_MAX_CONCURRENT_REQUESTS";

    /// <summary>Milliseconds a scoring request may wait for a place under the bound before its 503 (default 10; 0: no queue).</summary>
    public const string MaxQueueMilliseconds = "LAYERCAKE_MAX_QUEUE_MS";

    /// <summary>Scoring requests that may wait for a place at once; a newer one pushes the oldest out (default 10,000).</summary>
    public const string MaxQueueLength = "LAYERCAKE_MAX_QUEUE_LENGTH";

    /// <summary>A <c>NAME=value</c> entry for a container's environment.</summary>
    public static string Assignment(string name, object value) => string.Create(CultureInfo.InvariantCulture, $"{name}={value}");
}
