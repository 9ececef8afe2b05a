using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Layercake.Serving.PredictionLog;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>
/// Thousands of mutated requests of both protocols against the real server over HTTP, four at a time, with the
/// prediction log on: every one gets an answer (no dropped connection), none a 5xx, every error is in its protocol's
/// shape, and the server is still ready and scoring correctly afterwards. The seed is fixed so a failure replays;
/// <c>LAYERCAKE_FUZZ_SEED</c> tries another.
/// </summary>
[Category(Categories.Unit)]
[NonParallelizable]
public sealed class ServingFuzzTests
{
    private const int Requests = 1500;

    [Test]
    public async Task Mutated_requests_never_get_a_5xx_or_a_dropped_connection()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LAYERCAKE_FUZZ_SEED"), CultureInfo.InvariantCulture, out var chosen) ? chosen : 20261126;
        using var temp = new TempDirectory();
        await using var server = await ServerFixture.StartAsync(predictionLog: new PredictionLogOptions(temp.Path));
        var fuzzer = new RequestFuzzer(seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var requests = Enumerable.Range(0, Requests).Select(_ => fuzzer.Next()).ToArray();
        var generated = clock.Elapsed;
        var problems = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var binaryStatuses = new ConcurrentDictionary<int, int>();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, cancellation) =>
        {
            var problem = await SendAsync(server, request, request.InferenceHeader is null && request.ContentType != "application/octet-stream" ? statuses : binaryStatuses, cancellation);
            if (problem is not null)
            {
                problems.Add($"{request.Mutation} → {problem}");
            }
        });

        var ready = await server.GetAsync("v2/health/ready");
        var valid = await server.PostAsync("invocations", """{"dataframe_records":[{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":215,"Body Mass (g)":null,"Sex":null}]}""");
        TestContext.Out.WriteLine($"seed {seed}: {Requests} requests (generated in {generated.TotalSeconds:0.0} s, sent in {(clock.Elapsed - generated).TotalSeconds:0.0} s), statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; binary tensor bodies {binaryStatuses.Values.Sum()}, statuses {string.Join(", ", binaryStatuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");

        Assert.Multiple(() =>
        {
            Assert.That(problems.Take(20), Is.Empty, $"seed {seed}: {problems.Count} of {Requests} requests went wrong");
            Assert.That(statuses.Keys, Has.Some.EqualTo(200).And.Some.EqualTo(400), "the mutations reach both the scoring and the rejecting paths");
            Assert.That(binaryStatuses.Keys, Has.Some.EqualTo(200).And.Some.EqualTo(400), "the binary mutations reach both the scoring and the rejecting paths");
            Assert.That(ready.Status, Is.EqualTo(HttpStatusCode.OK), "ready afterwards");
            Assert.That(valid.Body, Does.Contain("\"label\":\"Gentoo\""), "still scoring afterwards");
        });
    }

    private static async Task<string?> SendAsync(ServerFixture server, RequestFuzzer.Request request, ConcurrentDictionary<int, int> statuses, CancellationToken cancellation)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Path) { Content = new ByteArrayContent(request.Body) };
        message.Content.Headers.ContentType = null;
        if (request.ContentType is not null)
        {
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        if (request.InferenceHeader is not null)
        {
            message.Headers.TryAddWithoutValidation(BinaryInference.HeaderName, request.InferenceHeader);
        }

        HttpResponseMessage response;
        string body;
        try
        {
            response = await server.Http.SendAsync(message, cancellation);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellation);
            body = BinaryJson(response, bytes, out var binaryProblem);
            if (binaryProblem is not null)
            {
                return binaryProblem;
            }
        }
        catch (HttpRequestException ex)
        {
            return $"no answer: {ex.Message} / {ex.InnerException?.GetType().Name}: {ex.InnerException?.Message} / {ex.InnerException?.InnerException?.Message}";
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (status >= 500)
            {
                var sent = System.Text.Encoding.UTF8.GetString(request.Body);
                return $"{status}: {body} — request body: {sent[..Math.Min(sent.Length, 600)]}";
            }

            return ShapeProblem(request.Path, status, body);
        }
    }

    /// <summary>The body's JSON: all of it, or for a binary tensor response, its first Inference-Header-Content-Length bytes.</summary>
    private static string BinaryJson(HttpResponseMessage response, byte[] body, out string? problem)
    {
        problem = null;
        if (!response.Headers.Contains(BinaryInference.HeaderName))
        {
            return System.Text.Encoding.UTF8.GetString(body);
        }

        try
        {
            return BinaryInference.Response(response, body).Json.GetRawText();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or JsonException or ArgumentException)
        {
            problem = $"{(int)response.StatusCode}: a binary tensor response that does not add up: {ex.Message}";
            return "";
        }
    }

    /// <summary>A success carries predictions; an error is <c>{"error"}</c> (Open Inference) or <c>{"error_code", "message"}</c> (MLflow).</summary>
    private static string? ShapeProblem(string path, int status, string body)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return $"{status} with a body that is not JSON: {body[..Math.Min(body.Length, 200)]}";
        }

        var mlflow = path == "invocations";
        var expected = status == 200 ? (mlflow ? "predictions" : "outputs") : mlflow ? "error_code" : "error";
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty(expected, out _)
            ? null
            : $"{status} without '{expected}': {body[..Math.Min(body.Length, 200)]}";
    }
}
