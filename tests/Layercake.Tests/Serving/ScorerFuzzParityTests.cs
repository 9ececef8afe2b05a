using System.Globalization;
using System.Text.Json;
using Layercake.Runtime.Scoring;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>
/// The serving fuzz test's mutated requests sent to two servers of one package, one scoring with the managed scorer and
/// one with ONNX Runtime: every request gets the same status from both, no 5xx, and the same body (numbers within the
/// parity tolerance, every label and error message equal). Bad input is answered alike whichever scorer serves.
/// </summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class ScorerFuzzParityTests
{
    private const int Requests = 1000;
    private const double Tolerance = 1e-5;

    [Test]
    public async Task Both_scorers_answer_every_mutated_request_alike()
    {
        await using var managed = await ServerFixture.StartAsync(scorer: ScorerNames.Managed);
        await using var onnx = await ServerFixture.StartAsync(scorer: ScorerNames.OnnxRuntime);
        var fuzzer = new RequestFuzzer(20261207);
        var requests = Enumerable.Range(0, Requests).Select(_ => fuzzer.Next()).ToArray();
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        var scored = 0;

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, cancellation) =>
        {
            var (status, body) = await SendAsync(managed, request, cancellation);
            var (expectedStatus, expectedBody) = await SendAsync(onnx, request, cancellation);
            if (status != expectedStatus || status >= 500 || !Same(body, expectedBody))
            {
                problems.Add($"{request.Mutation}: managed {status} {Cut(body)} / onnxruntime {expectedStatus} {Cut(expectedBody)}");
            }

            if (status == 200)
            {
                Interlocked.Increment(ref scored);
            }
        });

        var metrics = await managed.GetAsync("metrics");
        Assert.Multiple(() =>
        {
            Assert.That(problems.Take(10), Is.Empty, $"{problems.Count} of {Requests} requests answered differently");
            Assert.That(scored, Is.GreaterThan(50), "the mutations reach the scoring path");
            Assert.That(metrics.Body, Does.Contain("layercake_scorer_info{model=\"penguins\",version=\"1.0.0\",scorer=\"managed\"} 1"));
        });
    }

    private static async Task<(int Status, string Body)> SendAsync(ServerFixture server, RequestFuzzer.Request request, CancellationToken cancellation)
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

        using var response = await server.Http.SendAsync(message, cancellation);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellation);
        if (!response.Headers.Contains(BinaryInference.HeaderName))
        {
            return ((int)response.StatusCode, System.Text.Encoding.UTF8.GetString(bytes));
        }

        // A binary tensor answer: its JSON, with each binary output's values written in as numbers or strings.
        var (json, data) = BinaryInference.Response(response, bytes);
        var text = json.GetRawText() + string.Concat(data.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d =>
            $"|{d.Key}:" + (d.Value.Length % 4 == 0 && d.Key != "label" ? string.Join(',', BinaryInference.Floats(d.Value).Select(f => f.ToString("R", CultureInfo.InvariantCulture)))
                : string.Join(',', BinaryInference.Strings(d.Value)))));
        return ((int)response.StatusCode, text);
    }

    /// <summary>Equal text, or JSON (and binary parts) whose numbers differ by at most the tolerance and all else equal.</summary>
    private static bool Same(string a, string b)
    {
        if (a == b)
        {
            return true;
        }

        var partsA = a.Split('|');
        var partsB = b.Split('|');
        if (partsA.Length != partsB.Length)
        {
            return false;
        }

        for (var i = 0; i < partsA.Length; i++)
        {
            if (partsA[i] != partsB[i] && !SameJson(partsA[i], partsB[i]) && !SameNumbers(partsA[i], partsB[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameNumbers(string a, string b)
    {
        var x = a.Split(',', ':');
        var y = b.Split(',', ':');
        return x.Length == y.Length && x.Zip(y).All(p => p.First == p.Second || (double.TryParse(p.First, CultureInfo.InvariantCulture, out var u)
            && double.TryParse(p.Second, CultureInfo.InvariantCulture, out var v) && Math.Abs(u - v) <= Tolerance));
    }

    private static bool SameJson(string a, string b)
    {
        try
        {
            using var x = JsonDocument.Parse(a);
            using var y = JsonDocument.Parse(b);
            return Same(x.RootElement, y.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Same(JsonElement a, JsonElement b) => (a.ValueKind, b.ValueKind) switch
    {
        (JsonValueKind.Number, JsonValueKind.Number) => Math.Abs(a.GetDouble() - b.GetDouble()) <= Tolerance,
        (JsonValueKind.Array, JsonValueKind.Array) => a.GetArrayLength() == b.GetArrayLength()
            && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => Same(p.First, p.Second)),
        // Each server makes its own request ids.
        (JsonValueKind.Object, JsonValueKind.Object) => a.EnumerateObject().Count() == b.EnumerateObject().Count()
            && a.EnumerateObject().All(p => b.TryGetProperty(p.Name, out var q) && (p.Name is "request_id" or "id" || Same(p.Value, q))),
        _ => a.ValueKind == b.ValueKind && a.GetRawText() == b.GetRawText(),
    };

    private static string Cut(string text) => text[..Math.Min(text.Length, 300)];
}
