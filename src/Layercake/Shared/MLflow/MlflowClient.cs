using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Layercake.Shared.MLflow;

/// <summary>
/// The calls of MLflow's REST API 2.0 that logging a run needs: experiments by name, runs, batches of params,
/// metrics and tags, the run's status, and artifact upload through the server's <c>mlflow-artifacts</c> proxy.
/// </summary>
internal sealed class MlflowClient(HttpClient http, MlflowOptions options)
{
    /// <summary>MLflow's limits on one <c>runs/log-batch</c> call.</summary>
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;

    public async Task<string> ExperimentIdAsync(string name, CancellationToken cancellationToken)
    {
        var (status, found) =
            await SendAsync(HttpMethod.Get, $"api/2.0/mlflow/experiments/get-by-name?experiment_name={Uri.EscapeDataString(name)}",
            (HttpContent?)null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        if (status != HttpStatusCode.NotFound && found?["experiment"]?["experiment_id"]?.GetValue<string>() is { } id)
        {
            return id;
        }

        var (_, created) =
            await SendAsync(HttpMethod.Post, "api/2.0/mlflow/experiments/create", new JsonObject { ["name"] = name }, cancellationToken)
            .ConfigureAwait(false);
        return created?["experiment_id"]?.GetValue<string>()
            ?? throw new MlflowException($"{options}: experiments/create answered without an experiment_id.");
    }

    /// <summary>Creates a run; returns its id and artifact URI.</summary>
    public async Task<(string RunId, string? ArtifactUri)> CreateRunAsync(string experimentId, string runName, DateTimeOffset start,
        IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["experiment_id"] = experimentId,
            ["run_name"] = runName,
            ["start_time"] = start.ToUnixTimeMilliseconds(),
            ["tags"] = new JsonArray(tags.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value }).ToArray()),
        };
        var (_, answer) = await SendAsync(HttpMethod.Post, "api/2.0/mlflow/runs/create", body, cancellationToken).ConfigureAwait(false);
        var info = answer?["run"]?["info"];
        var id = info?["run_id"]?.GetValue<string>() ?? info?["run_uuid"]?.GetValue<string>()
            ?? throw new MlflowException($"{options}: runs/create answered without a run id.");
        return (id, info?["artifact_uri"]?.GetValue<string>());
    }

    public Task LogBatchAsync(string runId, IReadOnlyList<MlflowMetric> metrics, IReadOnlyDictionary<string, string> parameters,
        CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["run_id"] = runId,
            ["metrics"] = new JsonArray(metrics.Select(m => (JsonNode)new JsonObject
            {
                ["key"] = m.Key, ["value"] = m.Value, ["timestamp"] = m.Timestamp.ToUnixTimeMilliseconds(), ["step"] = m.Step,
            }).ToArray()),
            ["params"] = new JsonArray(parameters.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray()),
        };
        return SendAsync(HttpMethod.Post, "api/2.0/mlflow/runs/log-batch", body, cancellationToken);
    }

    public Task UpdateRunAsync(string runId, string status, DateTimeOffset end, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "api/2.0/mlflow/runs/update",
            new JsonObject { ["run_id"] = runId, ["status"] = status, ["end_time"] = end.ToUnixTimeMilliseconds() }, cancellationToken);

    /// <summary>
    /// Uploads a file under the run's artifacts through the tracking server's proxy. Only an artifact URI of the form
    /// <c>mlflow-artifacts:/…</c> is served by the proxy; false when the server stores artifacts elsewhere.
    /// </summary>
    public async Task<bool> UploadArtifactAsync(string? artifactUri, string relativePath, string file, CancellationToken cancellationToken)
    {
        const string Scheme = "mlflow-artifacts:";
        if (artifactUri is null || !artifactUri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return false;
        }

        // mlflow-artifacts:/<exp>/<run>/artifacts, or with an authority (mlflow-artifacts://host:port/<exp>/…); only the path is the
        // proxy's.
        var path = artifactUri[Scheme.Length..];
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            var slash = path.IndexOf('/', 2);
            path = slash < 0 ? "" : path[slash..];
        }

        var segments =
            string.Join('/', (path.Trim('/') + "/" + relativePath).Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(Uri.EscapeDataString));
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false));
        content.Headers.ContentType =
            new MediaTypeHeaderValue(file.EndsWith(".html", StringComparison.OrdinalIgnoreCase) ? "text/html" : "application/octet-stream");
        await SendAsync(HttpMethod.Put, $"api/2.0/mlflow-artifacts/artifacts/{segments}", content, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private Task<(HttpStatusCode, JsonNode?)> SendAsync(HttpMethod method, string path, JsonObject? body,
        CancellationToken cancellationToken, bool allowNotFound = false) =>
        SendAsync(method, path, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            cancellationToken, allowNotFound);

    private async Task<(HttpStatusCode, JsonNode?)> SendAsync(HttpMethod method, string path, HttpContent? content,
        CancellationToken cancellationToken, bool allowNotFound = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(options.TrackingUri, path)) { Content = content };
        if (options.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (options.Username is { } user)
        {
            request.Headers.Authorization =
                new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}")));
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound && allowNotFound)
        {
            return (response.StatusCode, null);
        }

        if (!response.IsSuccessStatusCode)
        {
            var detail = TryParse(text)?["message"]?.GetValue<string>() ?? (text.Length > 200 ? text[..200] : text);
            throw new MlflowException(
                string.Create(CultureInfo.InvariantCulture,
                $"{options}: {method} /{path.Split('?')[0]} answered {(int)response.StatusCode} {response.ReasonPhrase}: {detail}"));
        }

        return (response.StatusCode, TryParse(text));
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
