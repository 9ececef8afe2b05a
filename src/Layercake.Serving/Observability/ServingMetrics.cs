using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Layercake.Runtime.Scoring;
using Layercake.Serving.Admission;
using Layercake.Serving.PredictionLog;
using Layercake.Serving.Security;

namespace Layercake.Serving.Observability;

/// <summary>
/// Counters and histograms in Prometheus' text exposition format: requests by endpoint and status, request duration,
/// batch sizes and queue wait, the time of each ONNX Runtime call and of each request's preprocessing (as Triton
/// separates compute from queueing), rows scored and predictions by class. Lock-free on the request path.
/// </summary>
internal sealed class ServingMetrics
{
    public static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    public static readonly double[] BatchRowBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 10_000];

    /// <summary>A single-row call takes microseconds, a 10,000-row one milliseconds.</summary>
    public static readonly double[] ComputeBuckets =
        [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1];

    private readonly ConcurrentDictionary<(string Endpoint, int Status), long[]> _requests = new();
    private readonly ConcurrentDictionary<string, Histogram> _latency = new();
    private readonly Histogram _batchRows = new(BatchRowBuckets);
    private readonly Histogram _queueWait = new(Buckets);
    private readonly Histogram _inference = new(ComputeBuckets);
    private readonly Histogram _preprocessing = new(ComputeBuckets);
    private readonly ConcurrentDictionary<string, long[]> _predictions = new();
    private long _rows;
    private long _ignoredColumns;

    /// <summary>The prediction log, when one is configured: its written, dropped and failed lines are exported.</summary>
    public PredictionLogWriter? PredictionLog { get; set; }

    /// <summary>The token check, when authentication is on: its refusals are exported.</summary>
    public TokenAuthentication? Authentication { get; set; }

    /// <summary>The bound on scoring work, when one is set: what it shed and what is in progress are exported.</summary>
    public AdmissionGate? Admission { get; set; }

    public void RecordRequest(string endpoint, int status, double seconds)
    {
        Interlocked.Increment(ref _requests.GetOrAdd((endpoint, status), _ => new long[1])[0]);
        _latency.GetOrAdd(endpoint, _ => new Histogram(Buckets)).Observe(seconds);
    }

    /// <summary>One ONNX Runtime call of the batcher: its rows, and how long each request in it waited in the queue.</summary>
    /// <summary>Columns of a request the model does not take, which were skipped (MLflow's scoring server skips them too).</summary>
    public void RecordIgnoredColumns(int columns)
    {
        if (columns > 0)
        {
            Interlocked.Add(ref _ignoredColumns, columns);
        }
    }

    public void RecordBatch(int rows) => _batchRows.Observe(rows);

    public void RecordQueueWait(double seconds) => _queueWait.Observe(seconds);

    /// <summary>One ONNX Runtime call, from its inputs bound to its outputs read.</summary>
    public void RecordInference(double seconds) => _inference.Observe(seconds);

    /// <summary>One request's rows through the manifest's preprocessing.</summary>
    public void RecordPreprocessing(double seconds) => _preprocessing.Observe(seconds);

    public void RecordPredictions(ScoredBatch scored)
    {
        Interlocked.Add(ref _rows, scored.RowCount);
        if (scored.Labels is { } labels)
        {
            foreach (var label in labels)
            {
                Interlocked.Increment(ref _predictions.GetOrAdd(label, _ => new long[1])[0]);
            }
        }
    }

    /// <param name="scorer">The scorer in use (managed or onnxruntime), exported as an info gauge.</param>
    public string Render(string model, string version, string scorer = ScorerNames.OnnxRuntime)
    {
        var text = new StringBuilder();
        var labels = $"model=\"{Escape(model)}\",version=\"{Escape(version)}\"";
        Family(text, "layercake_scorer_info", "gauge", "The scorer evaluating the model: managed (C#) or onnxruntime.");
        text.AppendLine(CultureInfo.InvariantCulture, $"layercake_scorer_info{{{labels},scorer=\"{Escape(scorer)}\"}} 1");
        Family(text, "layercake_requests_total", "counter", "HTTP requests by endpoint and status code.");
        foreach (var ((endpoint, status), count) in _requests.OrderBy(r => r.Key.Endpoint, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Status))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"layercake_requests_total{{{labels},endpoint=\"{Escape(endpoint)}\",status=\"{status}\"}} " +
                $"{Interlocked.Read(ref count[0])}");
        }

        Family(text, "layercake_request_duration_seconds", "histogram", "Time from request start to response, by endpoint.");
        foreach (var (endpoint, histogram) in _latency.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            histogram.Render(text, "layercake_request_duration_seconds", $"{labels},endpoint=\"{Escape(endpoint)}\"");
        }

        Family(text, "layercake_batch_rows", "histogram", "Rows per ONNX Runtime call: concurrent requests are scored together.");
        _batchRows.Render(text, "layercake_batch_rows", labels);
        Family(text, "layercake_batch_queue_wait_seconds", "histogram",
            "Time a request's rows waited for the ONNX Runtime call that scored them.");
        _queueWait.Render(text, "layercake_batch_queue_wait_seconds", labels);
        Family(text, "layercake_inference_seconds", "histogram",
            "Time of each ONNX Runtime call (a batch), from its inputs bound to its outputs read.");
        _inference.Render(text, "layercake_inference_seconds", labels);
        Family(text, "layercake_preprocessing_seconds", "histogram",
            "Time of each request's preprocessing (imputation, encodings, derived features) before ONNX Runtime.");
        _preprocessing.Render(text, "layercake_preprocessing_seconds", labels);
        Family(text, "layercake_rows_scored_total", "counter", "Rows scored by the model.");
        text.AppendLine(CultureInfo.InvariantCulture, $"layercake_rows_scored_total{{{labels}}} {Interlocked.Read(ref _rows)}");
        Family(text, "layercake_ignored_columns_total", "counter",
            "Request columns the model does not take, skipped: one per column per request.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"layercake_ignored_columns_total{{{labels}}} {Interlocked.Read(ref _ignoredColumns)}");
        Family(text, "layercake_predictions_total", "counter", "Predictions by predicted class.");
        foreach (var (label, count) in _predictions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"layercake_predictions_total{{{labels},class=\"{Escape(label)}\"}} {Interlocked.Read(ref count[0])}");
        }

        RenderPredictionLog(text, labels);
        RenderGuards(text, labels);
        return text.ToString();
    }

    private void RenderPredictionLog(StringBuilder text, string labels)
    {
        if (PredictionLog is not { } log)
        {
            return;
        }

        Family(text, "layercake_prediction_log_written_total", "counter",
            "Prediction log lines (rows or rejected requests) written to disk.");
        text.AppendLine(CultureInfo.InvariantCulture, $"layercake_prediction_log_written_total{{{labels}}} {log.Written}");
        Family(text, "layercake_prediction_log_dropped_total", "counter", "Prediction log lines dropped because the log's queue was full.");
        text.AppendLine(CultureInfo.InvariantCulture, $"layercake_prediction_log_dropped_total{{{labels}}} {log.Dropped}");
        Family(text, "layercake_prediction_log_failed_total", "counter",
            "Prediction log lines lost because the log file could not be opened or written.");
        text.AppendLine(CultureInfo.InvariantCulture, $"layercake_prediction_log_failed_total{{{labels}}} {log.Failed}");
    }

    private void RenderGuards(StringBuilder text, string labels)
    {
        if (Authentication is { } authentication)
        {
            Family(text, "layercake_auth_refused_total", "counter", "Requests refused with a 401 for want of a valid token.");
            text.AppendLine(CultureInfo.InvariantCulture, $"layercake_auth_refused_total{{{labels}}} {authentication.Refused}");
        }

        if (Admission is { } admission)
        {
            Family(text, "layercake_requests_shed_total", "counter", "Scoring requests answered 503 at the bound of concurrent work.");
            text.AppendLine(CultureInfo.InvariantCulture, $"layercake_requests_shed_total{{{labels}}} {admission.Shed}");
            Family(text, "layercake_requests_in_flight", "gauge", "Scoring requests in progress.");
            text.AppendLine(CultureInfo.InvariantCulture, $"layercake_requests_in_flight{{{labels}}} {admission.InFlight}");
            Family(text, "layercake_requests_in_flight_limit", "gauge", "The bound on scoring requests in progress.");
            text.AppendLine(CultureInfo.InvariantCulture, $"layercake_requests_in_flight_limit{{{labels}}} {admission.MaxConcurrent}");
        }
    }

    /// <summary>A metric family's HELP and TYPE lines, which precede its samples.</summary>
    private static void Family(StringBuilder text, string name, string type, string help)
    {
        text.Append("# HELP ").Append(name).Append(' ').AppendLine(help);
        text.Append("# TYPE ").Append(name).Append(' ').AppendLine(type);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
