using System.Net;
using System.Text.Json;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>Both protocols over real HTTP, a real ONNX Runtime session, and a real package.</summary>
[Category(Categories.Unit)]
[NonParallelizable]
public sealed class ServingProtocolTests
{
    private ServerFixture _server = null!;

    private const string Adelie = """{"Island":"Torgersen","Beak Length (mm)":39.1,"Beak Depth (mm)":18.7,"Flipper Length (mm)":181,"Body Mass (g)":3750,"Sex":"MALE"}""";
    private const string Gentoo = """{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":215,"Body Mass (g)":null,"Sex":null}""";

    [OneTimeSetUp]
    public async Task Start() => _server = await ServerFixture.StartAsync(maxRows: 5, maxBodyBytes: 4096);

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private static string[] Labels(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString()!).ToArray();

    private static string Predictions(string body) => JsonDocument.Parse(body).RootElement.GetProperty("predictions").GetRawText();

    [Test]
    public async Task Every_mlflow_format_gives_the_same_predictions()
    {
        var records = await _server.PostAsync("invocations", $$"""{"dataframe_records":[{{Adelie}},{{Gentoo}}]}""");
        var instances = await _server.PostAsync("invocations", $$"""{"instances":[{{Adelie}},{{Gentoo}}]}""");
        var inputsRows = await _server.PostAsync("invocations", $$"""{"inputs":[{{Adelie}},{{Gentoo}}]}""");
        var split = await _server.PostAsync("invocations", """
            {"dataframe_split":{"columns":["Island","Beak Length (mm)","Beak Depth (mm)","Flipper Length (mm)","Body Mass (g)","Sex"],
             "data":[["Torgersen",39.1,18.7,181,3750,"MALE"],["Biscoe",47.5,14.2,215,null,null]]}}
            """);
        var columns = await _server.PostAsync("invocations", """
            {"inputs":{"Island":["Torgersen","Biscoe"],"Beak Length (mm)":[39.1,47.5],"Beak Depth (mm)":[18.7,14.2],"Flipper Length (mm)":[181,215],"Body Mass (g)":[3750,null],"Sex":["MALE",null]}}
            """);
        var csv = await _server.PostAsync("invocations", "Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex\r\nTorgersen,39.1,18.7,181,3750,MALE\r\nBiscoe,47.5,14.2,215,,\r\n", "text/csv");

        foreach (var (status, body) in new[] { records, instances, inputsRows, split, columns, csv })
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(Labels(body), Is.EqualTo(new[] { "Adelie", "Gentoo" }), body);
            Assert.That(Predictions(body), Is.EqualTo(Predictions(records.Body)), "every format scores the same rows the same way");
        }

        var first = JsonDocument.Parse(records.Body).RootElement.GetProperty("predictions")[0].GetProperty("probabilities");
        Assert.That(first.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "Adelie", "Chinstrap", "Gentoo" }));
        Assert.That(first.EnumerateObject().Sum(p => p.Value.GetDouble()), Is.EqualTo(1).Within(1e-5));
    }

    [TestCase("invocations", "text/plain")]
    [TestCase("v2/models/penguins/infer", null)]
    [TestCase("v2/models/penguins/infer", "application/octet-stream")]
    public async Task A_body_over_the_limit_is_a_413_that_closes_the_connection_whatever_its_content_type(string path, string? contentType)
    {
        // Refused unread, such a body cannot be drained, so the connection must not be offered for another request.
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(new byte[5000]) };
        message.Content.Headers.ContentType = contentType is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        if (contentType is null)
        {
            message.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", "10");
        }

        using var response = await _server.Http.SendAsync(message);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(response.Headers.ConnectionClose, Is.True);
    }

    [Test]
    public async Task Open_inference_infers_a_batch_and_names_its_outputs()
    {
        var (status, body) = await _server.PostAsync("v2/models/penguins/infer", """
            {"id":"req-1","inputs":[
              {"name":"Island","shape":[2],"datatype":"BYTES","data":["Torgersen","Biscoe"]},
              {"name":"Beak Length (mm)","shape":[2,1],"datatype":"FP32","data":[39.1,47.5]},
              {"name":"Beak_Depth_mm","shape":[2],"datatype":"FP64","data":[18.7,14.2]},
              {"name":"Flipper Length (mm)","shape":[2],"datatype":"INT32","data":[181,215]},
              {"name":"Body Mass (g)","shape":[2],"datatype":"FP32","data":[3750,null]},
              {"name":"Sex","shape":[2],"datatype":"BYTES","data":["MALE",null]}]}
            """);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.That(root.GetProperty("model_name").GetString(), Is.EqualTo("penguins"));
        Assert.That(root.GetProperty("id").GetString(), Is.EqualTo("req-1"));
        var outputs = root.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.That(outputs["label"].GetProperty("data").EnumerateArray().Select(l => l.GetString()), Is.EqualTo(new[] { "Adelie", "Gentoo" }));
        Assert.That(outputs["probabilities"].GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(outputs["probabilities"].TryGetProperty("parameters", out _), Is.False, "parameters hold only strings, numbers and booleans");
        Assert.That(outputs["classes"].GetProperty("data").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "Adelie", "Chinstrap", "Gentoo" }));
        Assert.That(outputs["classes"].GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()), Is.EqualTo(new[] { 3 }));
    }

    [Test]
    public async Task Open_inference_takes_data_nested_as_its_shape_and_returns_only_the_outputs_asked_for()
    {
        var (status, body) = await _server.PostAsync("v2/models/penguins/infer", """
            {"inputs":[
              {"name":"Island","shape":[2,1],"datatype":"BYTES","data":[["Torgersen"],["Biscoe"]]},
              {"name":"Beak Length (mm)","shape":[2,1],"datatype":"FP32","data":[[39.1],[47.5]]},
              {"name":"Beak Depth (mm)","shape":[2,1],"datatype":"FP32","data":[18.7,14.2]},
              {"name":"Flipper Length (mm)","shape":[2],"datatype":"INT32","data":[181,215]},
              {"name":"Body Mass (g)","shape":[2,1],"datatype":"FP32","data":[[3750],[null]]},
              {"name":"Sex","shape":[2,1],"datatype":"BYTES","data":[["MALE"],[null]]}],
             "outputs":[{"name":"label"},{"name":"classes"}]}
            """);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        var outputs = JsonDocument.Parse(body).RootElement.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.That(outputs.Keys, Is.EquivalentTo(new[] { "label", "classes" }));
        Assert.That(outputs["label"].GetProperty("data").EnumerateArray().Select(l => l.GetString()), Is.EqualTo(new[] { "Adelie", "Gentoo" }));
    }

    [Test]
    public async Task Mlflow_endpoints_answer_as_mlflows_scoring_server()
    {
        var version = await _server.Http.GetAsync("version");
        var ping = await _server.Http.GetAsync("ping");

        Assert.That(await version.Content.ReadAsStringAsync(), Does.Match(@"^\d+\.\d+\.\d+$"), "the bare version string, as MLflow's /version");
        Assert.That(version.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(await ping.Content.ReadAsStringAsync(), Is.EqualTo("\n"));
    }

    [Test]
    public async Task Metadata_health_and_openapi_answer()
    {
        var metadata = await _server.GetAsync("v2/models/penguins/versions/1.0.0");
        Assert.That(metadata.Status, Is.EqualTo(HttpStatusCode.OK));
        var root = JsonDocument.Parse(metadata.Body).RootElement;
        Assert.That(root.GetProperty("platform").GetString(), Is.EqualTo("onnx_onnxv1"));
        Assert.That(root.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()), Does.Contain("Body Mass (g)"));

        foreach (var path in new[] { "v2/health/live", "v2/health/ready", "v2", "v2/models/penguins/ready", "ping", "health", "version", "openapi.json" })
        {
            Assert.That((await _server.GetAsync(path)).Status, Is.EqualTo(HttpStatusCode.OK), path);
        }

        Assert.That((await _server.GetAsync("v2/models/whales")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _server.GetAsync("v2/models/penguins/versions/9.9.9/ready")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static readonly string Ok = Adelie;

    public static IEnumerable<TestCaseData> BadRequests()
    {
        yield return new TestCaseData("invocations", "{\"dataframe_records\":[", "application/json", 400, "malformed JSON").SetName("malformed JSON");
        yield return new TestCaseData("invocations", Ok, "application/json", 400, "needs one of: dataframe_split").SetName("no known format");
        yield return new TestCaseData("invocations", $$"""{"dataframe_records":[{{Ok}}],"instances":[]}""", "application/json", 400, "send exactly one").SetName("two formats");
        yield return new TestCaseData("invocations", """{"dataframe_records":[{"Island":"Dream"}]}""", "application/json", 400, "row 0 is missing feature 'Beak Length (mm)'").SetName("missing feature");
        yield return new TestCaseData("invocations", $$"""{"dataframe_records":[{{Ok.Replace("\"Sex\"", "\"Colour\"", StringComparison.Ordinal)}}]}""", "application/json", 400, "dataframe_records: row 0 is missing feature 'Sex'").SetName("unknown feature instead of one the model takes");
        yield return new TestCaseData("invocations", """{"dataframe_records":[{"Island":7}]}""", "application/json", 400, "dataframe_records[0].Island: feature 'Island' expects a string or null, found a number").SetName("wrong type string");
        yield return new TestCaseData("invocations", """{"dataframe_records":[{"Body Mass (g)":"heavy"}]}""", "application/json", 400, "expects a number or null, found a string").SetName("wrong type number");
        yield return new TestCaseData("invocations", """{"dataframe_records":[{"Body Mass (g)":1e39}]}""", "application/json", 400, "is not a finite float32 number").SetName("beyond float32");
        yield return new TestCaseData("invocations", """{"dataframe_records":[{"Body Mass (g)":1e400}]}""", "application/json", 400, "dataframe_records[0].Body Mass (g): Infinity is not a finite float32 number").SetName("beyond double");
        yield return new TestCaseData("v2/models/penguins/infer", """{"inputs":[{"name":"Body Mass (g)","shape":[1],"datatype":"FP64","data":[-1e400]}]}""", "application/json", 400, "inputs[0].data[0]: -Infinity is not a finite float32 number").SetName("oip beyond double");
        yield return new TestCaseData("invocations", "Body Mass (g)\nNaN\n", "text/csv", 400, "is not a finite float32 number").SetName("NaN in CSV");
        yield return new TestCaseData("invocations", "Sex,Island\n\n\"MALE\",\"Dream\nside\"\nFEMALE\n", "text/csv", 400, "text/csv line 5: 1 fields, the header has 2").SetName("CSV ragged after a blank line and a multi-line field");
        yield return new TestCaseData("invocations", "Sex,Sex\nMALE,FEMALE\n", "text/csv", 400, "text/csv header: feature 'Sex' is given twice").SetName("CSV header repeats a feature");
        yield return new TestCaseData("invocations", """{"dataframe_records":[{"Island":"\ud800"}]}""", "application/json", 400, "dataframe_records[0].Island: not valid text").SetName("half a surrogate pair");
        yield return new TestCaseData("v2/models/penguins/infer", """{"inputs":[{"\ud800":1}]}""", "application/json", 400, "a property name is not valid text").SetName("oip property name that does not decode");
        yield return new TestCaseData("invocations", """{"dataframe_records":[]}""", "application/json", 400, "the batch is empty").SetName("empty batch");
        yield return new TestCaseData("invocations", $$"""{"instances":[{{Ok}},{{Ok}},{{Ok}},{{Ok}},{{Ok}},{{Ok}}]}""", "application/json", 400, "more than 5 rows").SetName("too many rows");
        yield return new TestCaseData("invocations", "x", "text/plain", 415, "Content-Type 'text/plain").SetName("unsupported content type");
        yield return new TestCaseData("invocations", "{\"instances\":[" + string.Join(",", Enumerable.Repeat(Ok, 40)) + "]}", "application/json", 413, "at most 4096").SetName("body too large");
        yield return new TestCaseData("invocations", """{"dataframe_split":{"columns":["Island"],"data":[["Dream","extra"]]}}""", "application/json", 400, "dataframe_split.data[0]: expected a list of 1 values").SetName("split row width");
        yield return new TestCaseData("v2/models/penguins/infer", """{"inputs":[{"name":"Island","shape":[2],"datatype":"BYTES","data":["Dream"]}]}""", "application/json", 400, "inputs[0].data: 1 values do not fill shape [2, 1]").SetName("oip shape and data disagree");
        yield return new TestCaseData("v2/models/penguins/infer", """{"inputs":[{"name":"Island","shape":[2,3],"datatype":"BYTES","data":["Dream"]}]}""", "application/json", 400, "inputs[0].shape: expected [N] or [N, 1]").SetName("oip wrong shape");
        yield return new TestCaseData("v2/models/penguins/infer", """{"inputs":[{"name":"Island","shape":[1],"datatype":"FP32","data":[1]}]}""", "application/json", 400, "inputs[0].datatype: feature 'Island' takes BYTES").SetName("oip wrong datatype");
        yield return new TestCaseData("v2/models/penguins/infer", """{"inputs":[{"name":"Island","shape":[2,1],"datatype":"BYTES","data":[["Dream"],["Biscoe","Dream"]]}]}""", "application/json", 400, "inputs[0].data[1]: shape [2, 1] holds a list of 1 value per row, found 2").SetName("oip nested data does not fit the shape");
        yield return new TestCaseData("v2/models/penguins/infer", """{"inputs":[{"name":"Island","shape":[1],"datatype":"BYTES","data":["Dream"]}],"outputs":[{"name":"score"}]}""", "application/json", 400, "outputs: 'score' is not an output; outputs are: label, probabilities, classes").SetName("oip unknown output");
        yield return new TestCaseData("v2/models/penguins/infer", """{"inputs":[{"name":"Island","shape":[1],"datatype":"BYTES","data":["Dream"]},{"name":"Sex","shape":[2],"datatype":"BYTES","data":["MALE","FEMALE"]}]}""", "application/json", 400, "inputs[1].shape: 2 rows, but earlier inputs have 1").SetName("oip inconsistent batch");
        yield return new TestCaseData("v2/models/penguins/infer", """{"inputs":[]}""", "application/json", 400, "the batch is empty").SetName("oip empty");
        yield return new TestCaseData("v2/models/penguins/infer", """{"id":"x"}""", "application/json", 400, "inputs: required").SetName("oip no inputs");
        yield return new TestCaseData("v2/models/penguins/infer", """{"inputs":[]}""", "text/csv", 415, "send application/json").SetName("oip content type");
        yield return new TestCaseData("v2/models/whales/infer", """{"inputs":[]}""", "application/json", 404, "model 'whales' is not served here").SetName("oip unknown model");
    }

    [TestCaseSource(nameof(BadRequests))]
    public async Task Bad_requests_get_a_4xx_naming_the_problem(string path, string body, string contentType, int status, string message)
    {
        var (actual, text) = await _server.PostAsync(path, body, contentType);

        Assert.That((int)actual, Is.EqualTo(status), text);
        var error = JsonDocument.Parse(text).RootElement;
        if (path == "invocations")
        {
            // MLflow's scoring server: {"error_code": "BAD_REQUEST", "message": "..."}, nothing else.
            Assert.That(error.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "error_code", "message" }), text);
            Assert.That(error.GetProperty("error_code").GetString(), Is.EqualTo("BAD_REQUEST"));
            Assert.That(error.GetProperty("message").GetString(), Does.Contain(message));
        }
        else
        {
            // Open Inference: {"error": "..."}.
            Assert.That(error.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "error" }), text);
            Assert.That(error.GetProperty("error").GetString(), Does.Contain(message));
        }
    }

    [Test]
    public async Task Columns_the_model_does_not_take_are_skipped_and_counted_and_fail_only_in_strict_mode()
    {
        var withId = Adelie.Replace("{", "{\"customer_id\":\"C-17\",\"notes\":{\"any\":[1,2]},", StringComparison.Ordinal);
        await using var server = await ServerFixture.StartAsync();
        var records = await server.PostAsync("invocations", $$"""{"dataframe_records":[{{withId}},{{withId}}]}""");
        var split = await server.PostAsync("invocations", """
            {"dataframe_split":{"columns":["id","Island","Beak Length (mm)","Beak Depth (mm)","Flipper Length (mm)","Body Mass (g)","Sex"],
             "data":[[1,"Torgersen",39.1,18.7,181,3750,"MALE"]]}}
            """);
        var columns = await server.PostAsync("invocations", """
            {"inputs":{"id":[1,2,3],"Island":["Torgersen"],"Beak Length (mm)":[39.1],"Beak Depth (mm)":[18.7],
             "Flipper Length (mm)":[181],"Body Mass (g)":[3750],"Sex":["MALE"]}}
            """);
        var (_, metrics) = await server.GetAsync("metrics");
        await using var strict = await ServerFixture.StartAsync(strictColumns: true);
        var refused = await strict.PostAsync("invocations", $$"""{"dataframe_records":[{{withId}}]}""");

        Assert.Multiple(() =>
        {
            Assert.That(records.Status, Is.EqualTo(HttpStatusCode.OK), records.Body);
            Assert.That(Labels(records.Body), Is.EqualTo(new[] { "Adelie", "Adelie" }));
            Assert.That(split.Status, Is.EqualTo(HttpStatusCode.OK), split.Body);
            Assert.That(columns.Status, Is.EqualTo(HttpStatusCode.OK), columns.Body);
            Assert.That(metrics, Does.Contain("layercake_ignored_columns_total{model=\"penguins\",version=\"1.0.0\"} 4"),
                "two columns in the records request, one in each of the others");
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(refused.Body, Does.Contain("dataframe_records[0].customer_id: unknown feature 'customer_id'"));
        });
    }

    [Test]
    public async Task Metrics_count_requests_rows_and_classes()
    {
        await using var server = await ServerFixture.StartAsync();
        await server.PostAsync("invocations", $$"""{"dataframe_records":[{{Adelie}},{{Gentoo}}]}""");
        await server.PostAsync("invocations", $$"""{"dataframe_records":[{{Adelie}}]}""");
        await server.PostAsync("invocations", "{");

        var (_, metrics) = await server.GetAsync("metrics");

        Assert.That(metrics, Does.Contain("layercake_requests_total{model=\"penguins\",version=\"1.0.0\",endpoint=\"/invocations\",status=\"200\"} 2"));
        Assert.That(metrics, Does.Contain("layercake_requests_total{model=\"penguins\",version=\"1.0.0\",endpoint=\"/invocations\",status=\"400\"} 1"));
        Assert.That(metrics, Does.Contain("layercake_rows_scored_total{model=\"penguins\",version=\"1.0.0\"} 3"));
        Assert.That(metrics, Does.Contain("layercake_predictions_total{model=\"penguins\",version=\"1.0.0\",class=\"Adelie\"} 2"));
        Assert.That(metrics, Does.Contain("layercake_request_duration_seconds_count{model=\"penguins\",version=\"1.0.0\",endpoint=\"/invocations\"} 3"));
        // One ONNX Runtime call and one preprocessing per scored request; the malformed one reached neither.
        Assert.That(metrics, Does.Contain("layercake_inference_seconds_count{model=\"penguins\",version=\"1.0.0\"} 2"));
        Assert.That(metrics, Does.Contain("layercake_preprocessing_seconds_count{model=\"penguins\",version=\"1.0.0\"} 2"));
        var inferenceSeconds = MetricsText.Value(metrics, "layercake_inference_seconds_sum");
        Assert.That(inferenceSeconds, Is.GreaterThan(0).And.LessThan(5), "the two calls' time, in seconds");
    }
}
