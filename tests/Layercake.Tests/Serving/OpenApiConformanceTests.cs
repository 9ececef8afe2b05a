using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>
/// Real responses of every endpoint, successes and errors of both protocols, validated against the JSON schemas of the
/// server's own <c>/openapi.json</c>; the requests that should succeed are validated against its request schemas too.
/// </summary>
[Category(Categories.Unit)]
[NonParallelizable]
public sealed class OpenApiConformanceTests
{
    private const string Adelie = """{"Island":"Torgersen","Beak Length (mm)":39.1,"Beak Depth (mm)":18.7,"Flipper Length (mm)":181,"Body Mass (g)":3750,"Sex":"MALE"}""";
    private const string Gentoo = """{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":215,"Body Mass (g)":null,"Sex":null}""";

    private const string Infer = """
        {"id":"r-1","parameters":{"trace":true},"inputs":[
          {"name":"Island","shape":[2],"datatype":"BYTES","data":["Torgersen","Biscoe"]},
          {"name":"Beak Length (mm)","shape":[2,1],"datatype":"FP32","data":[[39.1],[47.5]]},
          {"name":"Beak_Depth_mm","shape":[2],"datatype":"FP64","data":[18.7,14.2]},
          {"name":"Flipper Length (mm)","shape":[2],"datatype":"INT32","data":[181,215]},
          {"name":"Body Mass (g)","shape":[2],"datatype":"FP32","data":[3750,null]},
          {"name":"Sex","shape":[2],"datatype":"BYTES","data":["MALE",null]}]}
        """;

    private ServerFixture _server = null!;
    private OpenApiDocument _document = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ServerFixture.StartAsync(maxRows: 5, maxBodyBytes: 8192);
        _document = OpenApiDocument.Parse((await _server.GetAsync("openapi.json")).Body);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    /// <summary>(method, documented path, path sent, content type, body, whether the request itself is valid).</summary>
    private static IEnumerable<(string Method, string Template, string Path, string? ContentType, string? Body, bool Valid)> Exchanges()
    {
        foreach (var path in new[] { "/v2/health/live", "/v2/health/ready", "/v2", "/ping", "/health", "/version", "/metrics", "/openapi.json" })
        {
            yield return ("GET", path, path, null, null, true);
        }

        yield return ("GET", "/v2/models/{name}", "/v2/models/penguins", null, null, true);
        yield return ("GET", "/v2/models/{name}", "/v2/models/whales", null, null, true);
        yield return ("GET", "/v2/models/{name}/versions/{version}", "/v2/models/penguins/versions/1.0.0", null, null, true);
        yield return ("GET", "/v2/models/{name}/ready", "/v2/models/penguins/ready", null, null, true);
        yield return ("GET", "/v2/models/{name}/versions/{version}/ready", "/v2/models/penguins/versions/9.9.9/ready", null, null, true);

        const string json = "application/json";
        yield return ("POST", "/v2/models/{name}/infer", "/v2/models/penguins/infer", json, Infer, true);
        yield return ("POST", "/v2/models/{name}/versions/{version}/infer", "/v2/models/penguins/versions/1.0.0/infer", json, Infer.Replace("\"id\":\"r-1\",", "", StringComparison.Ordinal), true);
        yield return ("POST", "/v2/models/{name}/infer", "/v2/models/penguins/infer", json, Infer.Replace("\"inputs\"", "\"outputs\":[{\"name\":\"classes\"}],\"inputs\"", StringComparison.Ordinal), true);
        yield return ("POST", "/v2/models/{name}/infer", "/v2/models/penguins/infer", json, """{"inputs":[{"name":"Island","shape":[1],"datatype":"FP32","data":[1]}]}""", false);
        yield return ("POST", "/v2/models/{name}/infer", "/v2/models/penguins/infer", json, "{\"inputs\":[", false);
        yield return ("POST", "/v2/models/{name}/infer", "/v2/models/whales/infer", json, Infer, true);
        yield return ("POST", "/v2/models/{name}/infer", "/v2/models/penguins/infer", "text/plain", "x", false);
        yield return ("POST", "/v2/models/{name}/infer", "/v2/models/penguins/infer", json, "{\"inputs\":[" + new string(' ', 9000) + "]}", false);

        yield return ("POST", "/invocations", "/invocations", json, $$"""{"dataframe_records":[{{Adelie}},{{Gentoo}}]}""", true);
        yield return ("POST", "/invocations", "/invocations", json, $$"""{"instances":[{{Adelie}}]}""", true);
        yield return ("POST", "/invocations", "/invocations", json, """{"inputs":{"Island":["Dream"],"Beak Length (mm)":[40],"Beak Depth (mm)":[18],"Flipper Length (mm)":[190],"Body Mass (g)":[null],"Sex":[null]}}""", true);
        yield return ("POST", "/invocations", "/invocations", json, """{"dataframe_split":{"columns":["Island","Beak Length (mm)","Beak Depth (mm)","Flipper Length (mm)","Body Mass (g)","Sex"],"data":[["Dream",40,18,190,null,"FEMALE"]]}}""", true);
        yield return ("POST", "/invocations", "/invocations", "text/csv", "Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex\nDream,40,18,190,,\n", false);
        yield return ("POST", "/invocations", "/invocations", json, """{"dataframe_records":[{"Island":7}]}""", false);
        yield return ("POST", "/invocations", "/invocations", json, """{"rows":[]}""", false);
        yield return ("POST", "/invocations", "/invocations", "text/plain", "x", false);
        yield return ("POST", "/invocations", "/invocations", json, "{\"instances\":[" + string.Join(",", Enumerable.Repeat(Adelie, 80)) + "]}", false);
    }

    [Test]
    public async Task Every_response_matches_its_documented_schema()
    {
        var problems = new List<string>();
        foreach (var (method, template, path, contentType, body, valid) in Exchanges())
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType!);
                if (valid && contentType == "application/json")
                {
                    problems.AddRange(OpenApiDocument.Errors(_document.RequestSchema(method, template, contentType), body).Select(e => $"request to {path} (valid, yet the schema says): {e}"));
                }
            }

            using var response = await _server.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "(none)";
            var schema = _document.ResponseSchema(method, template, (int)response.StatusCode, mediaType);
            // MLflow's /version answers a bare, unquoted version string; it is validated as the string it is.
            var json = template == "/version" ? JsonSerializer.Serialize(text) : mediaType == "application/json" ? text : null;
            if (schema is not null && json is not null)
            {
                problems.AddRange(OpenApiDocument.Errors(schema, json).Select(e => $"{method} {path} → {(int)response.StatusCode}: {e}\n  {text[..Math.Min(text.Length, 300)]}"));
            }
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task Binary_tensor_bodies_match_their_documented_json_headers_and_errors_their_schema()
    {
        const string path = "/v2/models/{name}/infer";
        var inputs = new List<BinaryInference.Input>
        {
            new("Island", "BYTES", ["Torgersen", "Biscoe"]),
            new("Beak Length (mm)", "FP32", [39.1, 47.5]),
            new("Beak Depth (mm)", "FP64", [18.7, 14.2]),
            new("Flipper Length (mm)", "INT32", [181, 215]),
            new("Body Mass (g)", "FP32", [3750, double.NaN]),
            new("Sex", "BYTES", ["MALE", null], Binary: false),
        };
        var (body, jsonLength) = BinaryInference.Request(inputs, new JsonObject { ["id"] = "b-1", ["outputs"] = new JsonArray(new JsonObject { ["name"] = "label", ["parameters"] = new JsonObject { ["binary_data"] = true } }, new JsonObject { ["name"] = "probabilities" }) });
        var requestErrors = OpenApiDocument.Errors(_document.JsonHeaderSchema("POST", path, null, "application/octet-stream"), Encoding.UTF8.GetString(body, 0, jsonLength));

        using var ok = await _server.Http.SendAsync(BinaryInference.Message("v2/models/penguins/infer", body, jsonLength));
        var okBody = await ok.Content.ReadAsByteArrayAsync();
        var (header, data) = BinaryInference.Response(ok, okBody);
        using var bad = await _server.Http.SendAsync(BinaryInference.Message("v2/models/penguins/infer", body[..^2], jsonLength));
        var badBody = await bad.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(requestErrors, Is.Empty, "a valid binary request's JSON");
            Assert.That(ok.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/octet-stream"));
            Assert.That(_document.ResponseHeaders("POST", path, 200), Does.Contain(BinaryInference.HeaderName));
            Assert.That(OpenApiDocument.Errors(_document.JsonHeaderSchema("POST", path, 200, "application/octet-stream"), header.GetRawText()), Is.Empty);
            Assert.That(BinaryInference.Strings(data["label"]), Is.EqualTo(new[] { "Adelie", "Gentoo" }));
            Assert.That((int)bad.StatusCode, Is.EqualTo(400));
            Assert.That(OpenApiDocument.Errors(_document.ResponseSchema("POST", path, 400, "application/json")!, badBody), Is.Empty, badBody);
        });
    }

    [Test]
    public void Every_documented_operation_is_exercised()
    {
        var exercised = Exchanges().Select(e => (e.Method.ToLowerInvariant(), e.Template)).ToHashSet();

        Assert.That(_document.Operations.Where(o => !exercised.Contains(o)), Is.Empty);
    }

    [Test]
    public async Task The_schemas_reject_what_the_protocols_forbid()
    {
        var response = JsonNode.Parse((await _server.PostAsync("v2/models/penguins/infer", Infer)).Body)!;
        var probabilities = response["outputs"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "probabilities")!;
        probabilities["parameters"] = new JsonObject { ["classes"] = new JsonArray("Adelie", "Chinstrap", "Gentoo") };
        var inferSchema = _document.ResponseSchema("POST", "/v2/models/{name}/infer", 200, "application/json")!;
        var errorSchema = _document.ResponseSchema("POST", "/invocations", 400, "application/json")!;

        Assert.Multiple(() =>
        {
            Assert.That(OpenApiDocument.Errors(inferSchema, response.ToJsonString()), Is.Not.Empty, "a parameter value that is a list");
            Assert.That(OpenApiDocument.Errors(errorSchema, """{"error":"bad"}"""), Is.Not.Empty, "an Open Inference error from /invocations");
            Assert.That(OpenApiDocument.Errors(inferSchema, """{"model_name":"p","outputs":[{"name":"label","shape":[1],"datatype":"BYTES"}]}"""), Is.Not.Empty, "an output with neither data nor binary_data_size");
            Assert.That(OpenApiDocument.Errors(inferSchema, """{"model_name":"p","outputs":[{"name":"label","shape":[1],"datatype":"BYTES","parameters":{"binary_data_size":"9"}}]}"""), Is.Not.Empty, "a binary_data_size that is not a number");
            Assert.That(OpenApiDocument.Errors(_document.RequestSchema("POST", "/invocations", "application/json"), $$"""{"instances":[{{Adelie}}],"inputs":[{{Adelie}}]}"""), Is.Not.Empty, "two MLflow formats");
        });
    }
}
