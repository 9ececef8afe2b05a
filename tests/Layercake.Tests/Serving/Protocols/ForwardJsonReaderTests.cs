using System.Net;
using System.Text;
using Layercake.Serving.Inference;
using Layercake.Serving.Protocols;
using Layercake.Serving.Protocols.Json;
using Layercake.Serving.Protocols.Mlflow;
using Layercake.Serving.Protocols.OpenInference;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving.Protocols;

/// <summary>
/// The forward readers of both protocols (docs/decisions/0042-requests-read-forward.md) on what a single pass could get
/// wrong: keys in any order,
/// repeated keys (the last counts, as in a parsed document), a bad field before a syntax error (malformed wins), the
/// precedence of the format over the rows, the rows a rejection declares, and bodies Kestrel holds in several segments.
/// </summary>
[Category(Categories.Unit)]
[NonParallelizable]
public sealed class ForwardJsonReaderTests
{
    private const string Adelie = """{"Island":"Torgersen","Beak Length (mm)":39.1,"Beak Depth (mm)":18.7,"Flipper Length (mm)":181,"Body Mass (g)":3750,"Sex":"MALE"}""";
    private const string Columns = "\"columns\":[\"Island\",\"Beak Length (mm)\",\"Beak Depth (mm)\",\"Flipper Length (mm)\",\"Body Mass (g)\",\"Sex\"]";
    private const string Data = "\"data\":[[\"Torgersen\",39.1,18.7,181,3750,\"MALE\"],[\"Biscoe\",47.5,14.2,215,null,null]]";
    private LoadedModel _model = null!;

    [OneTimeSetUp]
    public async Task Load() => _model = LoadedModel.Load((await TestPackages.PenguinsAsync()).Directory);

    [OneTimeTearDown]
    public void Unload() => _model.Dispose();

    private RawColumnsView Mlflow(string body) => new(MlflowJsonReader.Read(Encoding.UTF8.GetBytes(body), _model, 5));

    private string MlflowError(string body) =>
        Assert.Throws<RequestException>(() => MlflowJsonReader.Read(Encoding.UTF8.GetBytes(body), _model, 5))!.Message;

    private static string Tensor(string name, string shape, string datatype, string data, bool dataFirst = false) => dataFirst
        ? $$"""{"data":{{data}},"shape":{{shape}},"name":"{{name}}","datatype":"{{datatype}}"}"""
        : $$"""{"name":"{{name}}","shape":{{shape}},"datatype":"{{datatype}}","data":{{data}}}""";

    private static string Penguin(bool dataFirst) => "{\"inputs\":[" + string.Join(",",
        Tensor("Island", "[2]", "BYTES", "[\"Torgersen\",\"Biscoe\"]", dataFirst),
        Tensor("Beak Length (mm)", "[2,1]", "FP32", "[[39.1],[47.5]]", dataFirst),
        Tensor("Beak Depth (mm)", "[2]", "FP64", "[18.7,14.2]", dataFirst),
        Tensor("Flipper Length (mm)", "[2]", "INT32", "[181,215]", dataFirst),
        Tensor("Body Mass (g)", "[2]", "FP32", "[3750,null]", dataFirst),
        Tensor("Sex", "[2]", "BYTES", "[\"MALE\",null]", dataFirst)) + "],\"id\":\"r\"}";

    [Test]
    public void Keys_in_any_order_give_the_same_rows()
    {
        var inOrder = Mlflow("{\"dataframe_split\":{" + Columns + "," + Data + "}}");
        var dataFirst = Mlflow("{\"dataframe_split\":{" + Data + "," + Columns + "}}");
        var oip = OpenInferenceJsonReader.Read(Encoding.UTF8.GetBytes(Penguin(dataFirst: false)), _model, 5);
        var oipDataFirst = OpenInferenceJsonReader.Read(Encoding.UTF8.GetBytes(Penguin(dataFirst: true)), _model, 5);

        Assert.That(dataFirst.Text, Is.EqualTo(inOrder.Text));
        Assert.That(new RawColumnsView(oip.Rows).Text, Is.EqualTo(inOrder.Text));
        Assert.That(new RawColumnsView(oipDataFirst.Rows).Text, Is.EqualTo(inOrder.Text));
        Assert.That(oipDataFirst.Id, Is.EqualTo("r"));
    }

    [Test]
    public void A_repeated_key_counts_once_its_last_value()
    {
        var records = Mlflow($$"""{"dataframe_records":[{"Island":7}],"dataframe_records":[{{Adelie}}]}""");
        var split = Mlflow("{\"dataframe_split\":{" + Columns + ",\"data\":[[1]]," + Data + "}}");
        var splitColumnsAgain = Mlflow("{\"dataframe_split\":{\"columns\":[\"Sex\"]," + Data + "," + Columns + "}}");
        var tensor = OpenInferenceJsonReader.Read(Encoding.UTF8.GetBytes(Penguin(false).Replace("\"name\":\"Sex\"", "\"name\":\"Island\",\"name\":\"Sex\"", StringComparison.Ordinal)), _model, 5);

        Assert.That(records.Count, Is.EqualTo(1));
        Assert.That(split.Count, Is.EqualTo(2));
        Assert.That(splitColumnsAgain.Count, Is.EqualTo(2));
        Assert.That(tensor.Rows.Value(1, "Island"), Is.EqualTo("Biscoe"));
        Assert.That(MlflowError("{\"dataframe_split\":{" + Columns + "," + Data + ",\"data\":[[\"Dream\"]]}}"), Does.StartWith("dataframe_split.data[0]: expected a list of 6 values"));
    }

    [Test]
    public void A_body_that_is_not_json_is_malformed_even_after_a_bad_field()
    {
        Assert.That(MlflowError("""{"dataframe_records":[{"Colour":1}],"""), Does.StartWith("malformed JSON at line 1, byte 36: Expected start of a property name or value"));
        Assert.That(MlflowError("""{"dataframe_records":[{"Colour":1}]} x"""), Does.StartWith("malformed JSON"));
        Assert.That(MlflowError("\uFEFF" + $$"""{"instances":[{{Adelie}}]}""".Replace("3750", "\"heavy\"", StringComparison.Ordinal)), Does.StartWith("instances[0].Body Mass (g): feature 'Body Mass (g)' expects a number"));
    }

    // The NativeAOT server is published with UseSystemResourceKeys: System.Text.Json's messages are then resource names.
    [TestCase("ExpectedStartOfPropertyOrValueNotFound, x LineNumber: 0 | BytePositionInLine: 35.",
        "malformed JSON at line 1, byte 36: expected a property name or a value, found 'x'")]
    [TestCase("TrailingCommaNotAllowedBeforeObjectEnd LineNumber: 2 | BytePositionInLine: 4.",
        "malformed JSON at line 3, byte 5: a comma before '}' (no trailing commas)")]
    [TestCase("SomeFutureResourceName, y LineNumber: 0 | BytePositionInLine: 0.", "malformed JSON at line 1, byte 1: not valid JSON")]
    [TestCase("'x' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 2.", "malformed JSON at line 1, byte 3: 'x' is an invalid start of a value")]
    public void A_syntax_error_is_said_in_words_not_as_a_resource_name(string message, string expected)
    {
        var line = long.Parse(message.Split("LineNumber: ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var position = long.Parse(message.Split("BytePositionInLine: ")[1].TrimEnd('.'), System.Globalization.CultureInfo.InvariantCulture);

        var answer = JsonBody.Malformed(new System.Text.Json.JsonException(message, null, line, position));

        Assert.That(answer.Message, Is.EqualTo(expected));
    }

    [Test]
    public void The_format_is_judged_before_the_rows_and_a_lists_length_before_its_values()
    {
        Assert.That(MlflowError($$"""{"dataframe_records":[{"Colour":1}],"instances":[]}"""), Does.EndWith("send exactly one"));
        Assert.That(MlflowError("""{"inputs":{"Island":["Dream",7],"Sex":["MALE"]}}"""), Does.StartWith("inputs.Island[1]: feature 'Island' expects a string or null"));
        Assert.That(MlflowError("""{"inputs":{"Sex":["MALE"],"Island":[7,"Dream"]}}"""), Does.StartWith("inputs.Island: 2 values, but other columns have 1"));
        Assert.That(MlflowError("""{"dataframe_split":{"data":[["Dream",7]],"columns":["Island"]}}"""), Does.StartWith("dataframe_split.data[0]: expected a list of 1 values"));
        var oip = Assert.Throws<RequestException>(() => OpenInferenceJsonReader.Read(Encoding.UTF8.GetBytes(
            """{"inputs":[{"name":"Island","shape":[2],"datatype":"BYTES","data":[7,["Dream"]]}],"id":5}"""), _model, 5))!;
        Assert.That(oip.Message, Is.EqualTo("id: expected a string, found a number"), "the id is judged before the tensors");
        Assert.That(oip.Rows, Is.Null);
    }

    [Test]
    public void A_rejection_declares_every_row_of_the_list_however_early_the_fault()
    {
        var error = Assert.Throws<RequestException>(() => MlflowJsonReader.Read(Encoding.UTF8.GetBytes(
            "{\"dataframe_records\":[{\"Island\":7}," + Adelie + "," + Adelie + ",{\"Sex\":{\"nested\":[1,2]}}]}"), _model, 5))!;
        var split = Assert.Throws<RequestException>(() => MlflowJsonReader.Read(Encoding.UTF8.GetBytes(
            """{"dataframe_split":{"columns":["Colour"],"data":[[1],[2],[3]]}}"""), _model, 5))!;

        Assert.That(error.Message, Does.StartWith("dataframe_records[0].Island"));
        Assert.That(error.Rows, Is.EqualTo(4));
        Assert.That(split.Message, Does.StartWith("dataframe_split.columns[0]: unknown feature 'Colour'"));
        Assert.That(split.Rows, Is.EqualTo(3));
    }

    [Test]
    public async Task Bodies_in_several_segments_and_chunked_bodies_are_read_whole()
    {
        await using var server = await ServerFixture.StartAsync(maxRows: 200, maxBodyBytes: 1 << 20);
        var body = "{\"dataframe_records\":[" + string.Join(",", Enumerable.Repeat(Adelie, 150)) + "]}";
        var sized = await server.PostAsync("invocations", body);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "invocations") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var response = await server.Http.SendAsync(chunked);
        var chunkedBody = await response.Content.ReadAsStringAsync();

        Assert.That(sized.Status, Is.EqualTo(HttpStatusCode.OK), sized.Body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), chunkedBody);
        Assert.That(response.Content.Headers.ContentLength ?? chunkedBody.Length, Is.GreaterThan(0));
        Assert.That(chunkedBody.Split("\"label\"").Length - 1, Is.EqualTo(150));
        Assert.That(sized.Body.Split("\"label\"").Length - 1, Is.EqualTo(150));
    }

    /// <summary>Rows spelled out, to compare two readings.</summary>
    private sealed class RawColumnsView(Layercake.Runtime.Preprocessing.RawColumns columns)
    {
        public int Count => columns.RowCount;

        public string Text => string.Join("\n", Enumerable.Range(0, columns.RowCount).Select(r =>
            string.Join("|", columns.Layout.Names.Select(n => columns.Value(r, n)?.ToString() ?? "null"))));
    }
}
