using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Layercake.Tests.TestSupport;
using static Layercake.Tests.Serving.BinaryInference;

namespace Layercake.Tests.Serving;

/// <summary>
/// The Open Inference binary tensor data extension against a real server and a real ONNX Runtime session: binary
/// requests and responses decode to exactly the predictions of the same rows sent as JSON, and every malformed body is a
/// located 400.
/// </summary>
[Category(Categories.Unit)]
[NonParallelizable]
public sealed class BinaryTensorDataTests
{
    private const string Infer = "v2/models/penguins/infer";

    private static readonly object?[][] Penguins =
    [
        ["Torgersen", 39.1, 18.7, 181, 3750, "MALE"],
        ["Biscoe", 47.5, 14.2, 215, 5000, "FEMALE"],
        ["Dream", 49.0, 19.5, 210, 3950, "MALE"],
        ["Dream", 36.4, 17.0, 195, 3325, "FEMALE"],
        ["Biscoe", 50.0, 15.3, 220, 5550, "MALE"],
    ];

    private ServerFixture _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await ServerFixture.StartAsync(maxRows: 1000, maxBodyBytes: 1 << 20);

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    /// <summary>Varied rows; numbers are float32 values already, so JSON and every binary datatype carry the same value.</summary>
    private static object?[][] Rows(int count) => [.. Enumerable.Range(0, count).Select(i =>
    {
        var row = (object?[])Penguins[i % Penguins.Length].Clone();
        row[1] = (double)(float)((double)row[1]! + i % 7 * 0.3);
        row[4] = 3000 + i * 37 % 2500;
        return row;
    })];

    private static List<Input> Inputs(object?[][] rows, params string[] datatypes) =>
    [
        new("Island", "BYTES", [.. rows.Select(r => r[0])]),
        new("Beak Length (mm)", datatypes.ElementAtOrDefault(0) ?? "FP32", [.. rows.Select(r => r[1])]),
        new("Beak_Depth_mm", datatypes.ElementAtOrDefault(1) ?? "FP64", [.. rows.Select(r => r[2])]),
        new("Flipper Length (mm)", datatypes.ElementAtOrDefault(2) ?? "INT32", [.. rows.Select(r => r[3])]),
        new("Body Mass (g)", datatypes.ElementAtOrDefault(3) ?? "INT64", [.. rows.Select(r => r[4])]),
        new("Sex", "BYTES", [.. rows.Select(r => r[5])]),
    ];

    private static string JsonRequest(IEnumerable<Input> inputs, string id) =>
        new JsonObject { ["id"] = id, ["inputs"] = new JsonArray([.. inputs.Select(i => new JsonObject
        {
            ["name"] = i.Name, ["shape"] = new JsonArray(i.Values.Count), ["datatype"] = i.Datatype, ["data"] = JsonSerializer.SerializeToNode(i.Values),
        })]) }.ToJsonString();

    private async Task<(HttpResponseMessage Response, byte[] Body)> SendAsync(HttpRequestMessage message)
    {
        using (message)
        {
            var response = await _server.Http.SendAsync(message);
            return (response, await response.Content.ReadAsByteArrayAsync());
        }
    }

    private async Task<(HttpResponseMessage Response, byte[] Body)> SendAsync(IReadOnlyList<Input> inputs, JsonObject? request = null)
    {
        var (body, jsonLength) = Request(inputs, request);
        return await SendAsync(Message(Infer, body, jsonLength));
    }

    private static Dictionary<string, JsonElement> JsonOutputs(JsonElement root) =>
        root.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);

    [Test]
    public async Task A_binary_request_and_response_decode_to_the_predictions_of_the_same_rows_sent_as_json()
    {
        var rows = Rows(1000);
        var json = await _server.PostAsync(Infer, JsonRequest(Inputs(rows), "same"));
        var (response, body) = await SendAsync(Inputs(rows), new JsonObject { ["id"] = "same", ["parameters"] = new JsonObject { ["binary_data_output"] = true } });

        Assert.That(json.Status, Is.EqualTo(HttpStatusCode.OK), json.Body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), Encoding.UTF8.GetString(body));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/octet-stream"));
        var (header, data) = Response(response, body);
        var expected = JsonOutputs(JsonDocument.Parse(json.Body).RootElement);
        var outputs = JsonOutputs(header);
        Assert.Multiple(() =>
        {
            Assert.That(header.GetProperty("id").GetString(), Is.EqualTo("same"));
            Assert.That(data.Keys, Is.EquivalentTo(new[] { "label", "probabilities", "classes" }));
            Assert.That(outputs.Values.Select(o => o.TryGetProperty("data", out _)), Is.All.False, "binary outputs carry no JSON data");
            Assert.That(outputs["probabilities"].GetProperty("shape").GetRawText(), Is.EqualTo("[1000,3]"));
            Assert.That(outputs["label"].GetProperty("datatype").GetString(), Is.EqualTo("BYTES"));
            Assert.That(Strings(data["label"]), Is.EqualTo(expected["label"].GetProperty("data").EnumerateArray().Select(l => l.GetString())));
            Assert.That(Floats(data["probabilities"]), Is.EqualTo(expected["probabilities"].GetProperty("data").EnumerateArray().Select(p => p.GetSingle())), "the same floats, bit for bit");
            Assert.That(Strings(data["classes"]), Is.EqualTo(new[] { "Adelie", "Chinstrap", "Gentoo" }));
            Assert.That(Strings(data["label"]).Distinct().Count(), Is.GreaterThan(1), "the rows are not all one class");
        });
    }

    [Test]
    public async Task Each_output_is_binary_only_when_asked_and_its_own_flag_wins()
    {
        var rows = Rows(7);
        var request = new JsonObject
        {
            ["parameters"] = new JsonObject { ["binary_data_output"] = true },
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "label" }, new JsonObject { ["name"] = "probabilities", ["parameters"] = new JsonObject { ["binary_data"] = false } }),
        };
        var (response, body) = await SendAsync(Inputs(rows), request);
        var (header, data) = Response(response, body);
        var outputs = JsonOutputs(header);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), Encoding.UTF8.GetString(body));
            Assert.That(data.Keys, Is.EqualTo(new[] { "label" }));
            Assert.That(outputs.Keys, Is.EqualTo(new[] { "label", "probabilities" }));
            Assert.That(outputs["label"].GetProperty("parameters").GetProperty("binary_data_size").GetInt32(), Is.EqualTo(data["label"].Length));
            Assert.That(outputs["probabilities"].GetProperty("data").GetArrayLength(), Is.EqualTo(21));
        });
    }

    [Test]
    public async Task A_json_request_that_asks_for_binary_outputs_gets_them_in_binary()
    {
        var rows = Rows(9);
        var plain = JsonDocument.Parse(JsonRequest(Inputs(rows), "j-1")).RootElement;
        var asking = System.Text.Json.Nodes.JsonNode.Parse(plain.GetRawText())!.AsObject();
        asking["outputs"] = new JsonArray(new JsonObject { ["name"] = "probabilities", ["parameters"] = new JsonObject { ["binary_data"] = true } });
        var expected = JsonOutputs(JsonDocument.Parse((await _server.PostAsync(Infer, JsonRequest(Inputs(rows), "j-1"))).Body).RootElement)["probabilities"];

        using var message = new HttpRequestMessage(HttpMethod.Post, Infer) { Content = new StringContent(asking.ToJsonString(), Encoding.UTF8, "application/json") };
        var (response, body) = await SendAsync(message);
        var (header, data) = Response(response, body);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), Encoding.UTF8.GetString(body));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/octet-stream"));
            Assert.That(JsonOutputs(header).Keys, Is.EqualTo(new[] { "probabilities" }));
            Assert.That(Floats(data["probabilities"]), Is.EqualTo(expected.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray()));
        });
    }

    [Test]
    public async Task A_binary_request_that_asks_no_binary_output_gets_the_json_response_byte_for_byte()
    {
        var rows = Rows(20);
        var json = await _server.PostAsync(Infer, JsonRequest(Inputs(rows), "r-7"));
        var (response, body) = await SendAsync(Inputs(rows), new JsonObject { ["id"] = "r-7" });

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(response.Headers.Contains(HeaderName), Is.False);
        Assert.That(Encoding.UTF8.GetString(body), Is.EqualTo(json.Body));
    }

    [Test]
    public async Task Json_inputs_mix_with_binary_ones_and_NaN_is_a_missing_number()
    {
        object?[][] rows = [["Biscoe", 47.5, 14.2, 215, null, null], ["Torgersen", 39.125, 18.75, 181, 3750, "MALE"]];
        var inputs = Inputs(rows, "FP32", "FP64", "INT32", "FP32");
        inputs[5] = inputs[5] with { Binary = false };
        var json = await _server.PostAsync(Infer, JsonRequest(inputs, "m"));
        var (response, body) = await SendAsync(inputs, new JsonObject { ["id"] = "m" });

        Assert.That(json.Status, Is.EqualTo(HttpStatusCode.OK), json.Body);
        Assert.That(Encoding.UTF8.GetString(body), Is.EqualTo(json.Body), "NaN in FP32 data scores as the JSON null does");
    }

    [Test]
    public async Task Text_values_beyond_the_few_decoded_once_are_each_read_as_sent()
    {
        string[] islands = ["Biscoe", "Dream", "Torgersen", .. Enumerable.Range(0, 12).Select(i => $"Isle {i} é")];
        var rows = Rows(45);
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i][0] = islands[i % islands.Length];
        }

        var json = await _server.PostAsync(Infer, JsonRequest(Inputs(rows), "t"));
        var (_, body) = await SendAsync(Inputs(rows), new JsonObject { ["id"] = "t" });

        Assert.That(Encoding.UTF8.GetString(body), Is.EqualTo(json.Body));
    }

    [TestCase("FP16"), TestCase("FP32"), TestCase("FP64"), TestCase("INT8"), TestCase("INT16"), TestCase("INT32")]
    [TestCase("INT64"), TestCase("UINT8"), TestCase("UINT16"), TestCase("UINT32"), TestCase("UINT64")]
    public async Task Every_numeric_datatype_is_read_in_its_native_size(string datatype)
    {
        // Whole numbers up to 127 are exact in every numeric datatype.
        object?[][] rows = [["Dream", 46, 18, 120, 100, "FEMALE"], ["Torgersen", 39, 17, 100, 120, "MALE"]];
        var json = await _server.PostAsync(Infer, JsonRequest(Inputs(rows, "FP64", "FP64", "FP64", "FP64"), "d"));
        var (response, body) = await SendAsync(Inputs(rows, datatype, datatype, datatype, datatype), new JsonObject { ["id"] = "d" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), Encoding.UTF8.GetString(body));
        Assert.That(Encoding.UTF8.GetString(body), Is.EqualTo(json.Body));
    }

    [Test]
    public async Task Triton_clients_form_without_a_content_type_and_a_body_that_is_all_json_are_both_accepted()
    {
        var (body, jsonLength) = Request(Inputs(Rows(3)));
        var (noContentType, _) = await SendAsync(Message(Infer, body, jsonLength, contentType: null));
        var allJson = Encoding.UTF8.GetBytes(JsonRequest(Inputs(Rows(3)), "j"));
        var (noHeader, _) = await SendAsync(Message(Infer, allJson, jsonLength: null));

        Assert.That(noContentType.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(noHeader.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_json_request_with_no_content_type_at_all_is_read_as_json_as_tritons_client_sends_it()
    {
        var allJson = Encoding.UTF8.GetBytes(JsonRequest(Inputs(Rows(3)), "t"));
        var (response, body) = await SendAsync(Message(Infer, allJson, jsonLength: null, contentType: null));
        var (wrongType, _) = await SendAsync(Message(Infer, allJson, jsonLength: null, contentType: "text/csv"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), Encoding.UTF8.GetString(body));
        Assert.That(JsonOutputs(JsonDocument.Parse(body).RootElement)["label"].GetProperty("data").GetArrayLength(), Is.EqualTo(3));
        Assert.That(wrongType.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), "a type that is stated and wrong is still refused");
    }

    [Test]
    public async Task The_server_metadata_lists_the_extension()
    {
        var (_, body) = await _server.GetAsync("v2");

        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()), Does.Contain("binary_tensor_data"));
    }

    /// <summary>(name, body, Inference-Header-Content-Length, content type, status, part of the error).</summary>
    private static IEnumerable<TestCaseData> BadBodies()
    {
        var rows = Rows(4);
        var valid = Request(Inputs(rows));
        TestCaseData Case(string name, (byte[] Body, int JsonLength) request, string? header, string contentType, int status, string error) =>
            new TestCaseData(request.Body, header ?? request.JsonLength.ToString(System.Globalization.CultureInfo.InvariantCulture), contentType, status, error).SetName(name);
        (byte[], int) Inputs2(Func<List<Input>, List<Input>> change, JsonObject? request = null) => Request(change(Inputs(rows)), request);
        byte[] Splice(byte[] body, int at, byte[] bytes, int remove = 0) => [.. body[..at], .. bytes, .. body[(at + remove)..]];

        const string octet = "application/octet-stream";
        yield return Case("binary truncated body", (valid.Body[..^5], valid.JsonLength), null, octet, 400, "inputs[5].parameters.binary_data_size: 36 bytes, but the body ends 31 bytes after");
        yield return Case("binary bytes left over", ([.. valid.Body, 0, 0, 0], valid.JsonLength), null, octet, 400, "the body has 3 bytes after the");
        yield return Case("binary header longer than the body", valid, "100000", octet, 400, "Inference-Header-Content-Length: 100000 bytes of JSON, but the body has only");
        yield return Case("binary header not a number", valid, "12a", octet, 400, "Inference-Header-Content-Length: '12a' is not a length in bytes");
        yield return Case("binary header cuts the JSON", valid, (valid.JsonLength - 3).ToString(System.Globalization.CultureInfo.InvariantCulture), octet, 400, "malformed JSON in the body's first");
        yield return Case("binary no header and trailing data", valid, "", octet, 400, "malformed JSON in the body (all JSON, as it has no Inference-Header-Content-Length header)");
        yield return Case("binary inputs of different rows", Inputs2(i => [i[0], i[1] with { Values = [.. i[1].Values.Take(3)] }, .. i.Skip(2)]), null, octet, 400, "inputs[1].shape: 3 rows, but earlier inputs have 4");
        var wrongSize = Request(Inputs(rows));
        var sizeText = Encoding.UTF8.GetString(wrongSize.Body, 0, wrongSize.JsonLength).Replace("\"binary_data_size\":16", "\"binary_data_size\":12", StringComparison.Ordinal);
        var sizeJson = Encoding.UTF8.GetBytes(sizeText);
        yield return Case("binary size is not shape times element", ([.. sizeJson, .. wrongSize.Body[wrongSize.JsonLength..]], sizeJson.Length), null, octet, 400, "inputs[1].parameters.binary_data_size: shape [4] of FP32 takes 16 bytes (4 × 4), but 12 were given");
        yield return Case("binary length prefix past the end", (Splice(valid.Body, valid.JsonLength, BitConverter.GetBytes(1000u), 4), valid.JsonLength), null, octet, 400, "inputs[0].data[0]: its length prefix says 1000 bytes, past the end of the tensor's binary data");
        yield return Case("binary invalid UTF-8", (Splice(valid.Body, valid.JsonLength + 4, [0xff], 1), valid.JsonLength), null, octet, 400, "inputs[0].data[0]: not valid UTF-8");
        yield return Case("binary infinity", Inputs2(i => [i[0], i[1] with { Values = [double.PositiveInfinity, 1.0, 2.0, 3.0] }, .. i.Skip(2)]), null, octet, 400, "inputs[1].data[0]: Infinity is not a finite float32 number");
        yield return Case("binary beyond float32", Inputs2(i => [.. i.Take(2), i[2] with { Values = [1e300, 1.0, 2.0, 3.0] }, .. i.Skip(3)]), null, octet, 400, "inputs[2].data[0]: 1E+300 is not a finite float32 number");
        var both = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid.Body, 0, valid.JsonLength).Replace("\"datatype\":\"BYTES\",", "\"datatype\":\"BYTES\",\"data\":[\"Dream\",\"Dream\",\"Dream\",\"Dream\"],", StringComparison.Ordinal));
        yield return Case("binary data and size both", ([.. both, .. valid.Body[valid.JsonLength..]], both.Length), null, octet, 400, "inputs[0]: has both data and parameters.binary_data_size");
        yield return Case("binary wrong datatype", Inputs2(i => [i[0] with { Datatype = "FP32", Values = [1, 2, 3, 4] }, .. i.Skip(1)]), null, octet, 400, "inputs[0].datatype: feature 'Island' takes BYTES, found 'FP32'");
        yield return Case("binary output flag not a boolean", Inputs2(i => i, new JsonObject { ["outputs"] = new JsonArray(new JsonObject { ["name"] = "label", ["parameters"] = new JsonObject { ["binary_data"] = "yes" } }) }), null, octet, 400, "outputs[0].parameters.binary_data: expected true or false, found a string");
        yield return Case("binary content type", valid, null, "text/plain", 415, "send application/octet-stream or application/json");
        yield return Case("binary too many rows", Request(Inputs(Rows(1001))), null, octet, 400, "more than 1000 rows");
    }

    [TestCaseSource(nameof(BadBodies))]
    public async Task A_malformed_binary_body_is_a_located_400(byte[] body, string header, string contentType, int status, string error)
    {
        var message = Message(Infer, body, null, contentType);
        if (header.Length > 0)
        {
            message.Headers.TryAddWithoutValidation(HeaderName, header);
        }

        var (response, answer) = await SendAsync(message);
        var text = Encoding.UTF8.GetString(answer);

        Assert.That((int)response.StatusCode, Is.EqualTo(status), text);
        Assert.That(JsonDocument.Parse(text).RootElement.GetProperty("error").GetString(), Does.Contain(error));
    }

    [Test]
    public async Task A_bad_binary_request_never_fails_its_neighbours()
    {
        var rows = Rows(5);
        var good = Request(Inputs(rows));
        var bad = (good.Body[..^3], good.JsonLength);
        var expected = JsonOutputs(JsonDocument.Parse((await _server.PostAsync(Infer, JsonRequest(Inputs(rows), "x"))).Body).RootElement)["label"].GetRawText();

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var (body, length) = i % 3 == 0 ? bad : good;
            var (response, answer) = await SendAsync(Message(Infer, body, length));
            return (Good: i % 3 != 0, response.StatusCode, Body: Encoding.UTF8.GetString(answer));
        }));

        Assert.Multiple(() =>
        {
            Assert.That(answers.Where(a => a.Good).Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(answers.Where(a => a.Good).Select(a => JsonOutputs(JsonDocument.Parse(a.Body).RootElement)["label"].GetRawText()), Is.All.EqualTo(expected));
            Assert.That(answers.Where(a => !a.Good).Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.BadRequest));
        });
    }
}
