using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Layercake.Tests.TestSupport;

/// <summary>
/// A fake MLflow tracking server on a loopback port, implementing the REST API 2.0 endpoints Layercake calls
/// (experiments get-by-name and create, runs create, log-batch and update, and the mlflow-artifacts proxy's PUT),
/// keeping what was logged; or answering every call with 500.
/// </summary>
public sealed class FakeMlflow : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly object _gate = new();
    private readonly bool _failEverything;

    public FakeMlflow(bool failEverything = false)
    {
        _failEverything = failEverything;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Uri = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Uri + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Uri { get; }
    public Dictionary<string, string> Experiments { get; } = [];
    public List<FakeRun> Runs { get; } = [];
    public Dictionary<string, byte[]> Artifacts { get; } = [];
    public List<string> Calls { get; } = [];

    public sealed class FakeRun(string id, string experiment, string name, Dictionary<string, string> tags)
    {
        public string Id { get; } = id;
        public string Experiment { get; } = experiment;
        public string Name { get; } = name;
        public Dictionary<string, string> Tags { get; } = tags;
        public Dictionary<string, string> Params { get; } = [];
        public List<(string Key, double Value, long Step)> Metrics { get; } = [];
        public string Status { get; set; } = "RUNNING";
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            byte[] body;
            using (var buffer = new MemoryStream())
            {
                await context.Request.InputStream.CopyToAsync(buffer);
                body = buffer.ToArray();
            }

            lock (_gate)
            {
                Calls.Add($"{context.Request.HttpMethod} {path}");
            }

            var (status, answer) = _failEverything ? (500, """{"error_code":"INTERNAL_ERROR","message":"the tracking store is down"}""") : Handle(context.Request, path, body);
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int, string) Handle(HttpListenerRequest request, string path, byte[] body)
    {
        lock (_gate)
        {
            var json = body.Length > 0 && request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true ? JsonNode.Parse(body) : null;
            switch (request.HttpMethod, path)
            {
                case ("GET", "/api/2.0/mlflow/experiments/get-by-name"):
                    var name = request.QueryString["experiment_name"]!;
                    return Experiments.TryGetValue(name, out var found)
                        ? (200, new JsonObject { ["experiment"] = new JsonObject { ["experiment_id"] = found, ["name"] = name } }.ToJsonString())
                        : (404, """{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Could not find experiment"}""");
                case ("POST", "/api/2.0/mlflow/experiments/create"):
                    var id = (Experiments.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Experiments[json!["name"]!.GetValue<string>()] = id;
                    return (200, new JsonObject { ["experiment_id"] = id }.ToJsonString());
                case ("POST", "/api/2.0/mlflow/runs/create"):
                    var experiment = json!["experiment_id"]!.GetValue<string>();
                    var run = new FakeRun(Guid.NewGuid().ToString("N"), experiment, json["run_name"]!.GetValue<string>(),
                        json["tags"]!.AsArray().ToDictionary(t => t!["key"]!.GetValue<string>(), t => t!["value"]!.GetValue<string>()));
                    Runs.Add(run);
                    return (200, new JsonObject { ["run"] = new JsonObject { ["info"] = new JsonObject
                    {
                        ["run_id"] = run.Id, ["experiment_id"] = experiment, ["status"] = "RUNNING", ["artifact_uri"] = $"mlflow-artifacts:/{experiment}/{run.Id}/artifacts",
                    } } }.ToJsonString());
                case ("POST", "/api/2.0/mlflow/runs/log-batch"):
                    var target = Runs.Single(r => r.Id == json!["run_id"]!.GetValue<string>());
                    foreach (var p in json!["params"]!.AsArray()) target.Params.Add(p!["key"]!.GetValue<string>(), p["value"]!.GetValue<string>());
                    foreach (var m in json["metrics"]!.AsArray()) target.Metrics.Add((m!["key"]!.GetValue<string>(), m["value"]!.GetValue<double>(), m["step"]!.GetValue<long>()));
                    return (200, "{}");
                case ("POST", "/api/2.0/mlflow/runs/update"):
                    Runs.Single(r => r.Id == json!["run_id"]!.GetValue<string>()).Status = json!["status"]!.GetValue<string>();
                    return (200, "{}");
                case ("PUT", _) when path.StartsWith("/api/2.0/mlflow-artifacts/artifacts/", StringComparison.Ordinal):
                    Artifacts[path["/api/2.0/mlflow-artifacts/artifacts/".Length..]] = body;
                    return (200, "{}");
                default:
                    return (404, """{"error_code":"ENDPOINT_NOT_FOUND"}""");
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
