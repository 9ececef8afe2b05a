using System.Net;
using System.Text.Json;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>
/// A model with a timestamp column and a bounded 3,000-level categorical, served in process: raw date strings in
/// both protocols, and a 400 naming the field and the expected form for a date that does not parse.
/// </summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class DateServingTests
{
    private ServerFixture _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await ServerFixture.StartAsync(package: await TestPackages.WideAsync());

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private static string[] Labels(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString()!).ToArray();

    [Test]
    public async Task Mlflow_takes_raw_date_strings_with_offsets_and_missing_dates()
    {
        var (status, body) = await _server.PostAsync("invocations", """
            {"dataframe_records":[
              {"when":"2024-03-12T10:15:00+02:00","product":"product-3","price":40},
              {"when":"2024-03-16T12:00:00Z","product":"never-seen-before","price":40},
              {"when":null,"product":"product-2999","price":40}]}
            """);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(Labels(body), Has.Length.EqualTo(3));
        // Working hours are busy on a weekday and quiet at the weekend (the generator's rule, learnt from the date's parts).
        Assert.That(Labels(body)[..2], Is.EqualTo(new[] { "yes", "no" }));
    }

    [Test]
    public async Task Open_inference_takes_dates_as_bytes_and_answers_like_mlflow()
    {
        var v2 = await _server.PostAsync("v2/models/wide/infer", """
            {"inputs":[
              {"name":"when","datatype":"BYTES","shape":[2],"data":["2024-03-12T10:15:00+02:00","2024-03-16T12:00:00Z"]},
              {"name":"product","datatype":"BYTES","shape":[2],"data":["product-3","never-seen-before"]},
              {"name":"price","datatype":"FP32","shape":[2],"data":[40,40]}]}
            """);
        var mlflow = await _server.PostAsync("invocations", """
            {"dataframe_records":[{"when":"2024-03-12T10:15:00+02:00","product":"product-3","price":40},{"when":"2024-03-16T12:00:00Z","product":"never-seen-before","price":40}]}
            """);

        Assert.That(v2.Status, Is.EqualTo(HttpStatusCode.OK), v2.Body);
        var outputs = JsonDocument.Parse(v2.Body).RootElement.GetProperty("outputs").EnumerateArray().First(o => o.GetProperty("datatype").GetString() == "BYTES");
        Assert.That(outputs.GetProperty("data").EnumerateArray().Select(l => l.GetString()), Is.EqualTo(Labels(mlflow.Body)));
    }

    [TestCase("invocations", """{"dataframe_records":[{"when":"2023-02-29T10:00:00","product":"product-3","price":40}]}""", "2023-02-29T10:00:00")]
    [TestCase("invocations", """{"dataframe_records":[{"when":"12/03/2024","product":"product-3","price":40}]}""", "12/03/2024")]
    [TestCase("v2/models/wide/infer", """{"inputs":[{"name":"when","datatype":"BYTES","shape":[1],"data":["tomorrow"]},{"name":"product","datatype":"BYTES","shape":[1],"data":["x"]},{"name":"price","datatype":"FP32","shape":[1],"data":[1]}]}""", "tomorrow")]
    public async Task An_unparseable_date_is_a_400_naming_the_field_and_the_expected_form(string path, string request, string value)
    {
        var (status, body) = await _server.PostAsync(path, request);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(body, Does.Contain($"column 'when': value '{value}': expected an ISO-8601 date or timestamp (yyyy-MM-dd"));
    }

    [Test]
    public async Task A_date_sent_as_a_number_is_a_400()
    {
        var (status, body) = await _server.PostAsync("invocations", """{"dataframe_records":[{"when":20240312,"product":"product-3","price":40}]}""");

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(body, Does.Contain("feature 'when' expects a string or null, found a number"));
    }
}
