using System.Net;
using System.Text;
using System.Text.Json;
using Layercake.Monitoring;
using Layercake.Monitoring.Logs;
using Layercake.Monitoring.Reports;
using Layercake.Pipelines;
using Layercake.Pipelines.Monitoring;
using Layercake.Runtime.Scoring;
using Layercake.Runtime.Settings;
using Layercake.Serving.Hosting;
using Layercake.Serving.PredictionLog;
using Layercake.Tests.Monitoring;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>The prediction log through a real server: request ids, what is logged, and that the log never holds a request up.</summary>
[Category(Categories.Unit)]
[NonParallelizable]
public sealed class PredictionLogTests
{
    private const string Row = """{"Island":"Torgersen","Beak Length (mm)":39.1,"Beak Depth (mm)":18.7,"Flipper Length (mm)":181,"Body Mass (g)":3750,"Sex":"MALE"}""";
    private const string Row2 = """{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":215,"Body Mass (g)":null,"Sex":null}""";
    private const string OpenInferenceBody = """
        {"inputs":[
          {"name":"Island","shape":[1],"datatype":"BYTES","data":["Torgersen"]},
          {"name":"Beak Length (mm)","shape":[1],"datatype":"FP32","data":[39.1]},
          {"name":"Beak Depth (mm)","shape":[1],"datatype":"FP32","data":[18.7]},
          {"name":"Flipper Length (mm)","shape":[1],"datatype":"FP32","data":[181]},
          {"name":"Body Mass (g)","shape":[1],"datatype":"FP32","data":[3750]},
          {"name":"Sex","shape":[1],"datatype":"BYTES","data":["MALE"]}]}
        """;

    private static async Task<(HttpStatusCode Status, string Body, string? RequestId)> PostAsync(ServerFixture server, string path, string body, string? requestId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (requestId is not null)
        {
            request.Headers.TryAddWithoutValidation(RequestIds.Header, requestId);
        }

        using var response = await server.Http.SendAsync(request);
        var header = response.Headers.TryGetValues(RequestIds.Header, out var values) ? values.Single() : null;
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), header);
    }

    private static string[] Lines(string directory) =>
        Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal).SelectMany(File.ReadAllLines).ToArray();

    [Test]
    public async Task Responses_carry_the_request_id_in_the_header_and_the_body()
    {
        await using var server = await ServerFixture.StartAsync();

        var generated = await PostAsync(server, "invocations", $$"""{"dataframe_records":[{{Row}}]}""");
        var echoed = await PostAsync(server, "invocations", $$"""{"dataframe_records":[{{Row}}]}""", "client-42:a/b");
        var replaced = await PostAsync(server, "invocations", $$"""{"dataframe_records":[{{Row}}]}""", "not valid, has spaces");
        var openInference = await PostAsync(server, "v2/models/penguins/infer", OpenInferenceBody);
        var withBodyId = await PostAsync(server, "v2/models/penguins/infer", OpenInferenceBody.Replace("{\"inputs\"", "{\"id\":\"mine\",\"inputs\""), "trace-7");
        var rejected = await PostAsync(server, "invocations", "{}", "bad-1");

        Assert.Multiple(() =>
        {
            Assert.That(generated.RequestId, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(JsonDocument.Parse(generated.Body).RootElement.GetProperty("request_id").GetString(), Is.EqualTo(generated.RequestId));
            Assert.That(echoed.RequestId, Is.EqualTo("client-42:a/b"));
            Assert.That(JsonDocument.Parse(echoed.Body).RootElement.GetProperty("request_id").GetString(), Is.EqualTo("client-42:a/b"));
            Assert.That(replaced.RequestId, Does.Match("^[0-9a-f]{32}$"), "an unusable client id is replaced, not echoed");
            Assert.That(JsonDocument.Parse(openInference.Body).RootElement.GetProperty("id").GetString(), Is.EqualTo(openInference.RequestId));
            Assert.That(JsonDocument.Parse(withBodyId.Body).RootElement.GetProperty("id").GetString(), Is.EqualTo("mine"), "Open Inference echoes the client's own id");
            Assert.That(withBodyId.RequestId, Is.EqualTo("trace-7"));
            Assert.That(rejected.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(rejected.RequestId, Is.EqualTo("bad-1"));
        });
    }

    [Test]
    public async Task Every_prediction_and_rejection_is_logged_with_its_request_id_and_flushed_on_shutdown()
    {
        using var temp = new TempDirectory();
        var server = await ServerFixture.StartAsync(predictionLog: new PredictionLogOptions(temp.Path));
        await using var _ = server;
        var batch = await PostAsync(server, "invocations", $$"""{"dataframe_records":[{{Row}},{{Row2}}]}""", "batch-1");
        await PostAsync(server, "v2/models/penguins/infer", OpenInferenceBody, "oip-1");
        await PostAsync(server, "invocations", """{"dataframe_records":[{"Island":"Torgersen"}]}""", "bad-1");
        await server.StopAsync();

        var lines = Lines(temp.Path).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.That(lines, Has.Length.EqualTo(4));
        var first = lines[0];
        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.GetProperty("request_id").GetString()), Is.EqualTo(new[] { "batch-1", "batch-1", "oip-1", "bad-1" }));
            Assert.That(lines.Take(2).Select(l => l.GetProperty("row").GetInt32()), Is.EqualTo(new[] { 0, 1 }));
            Assert.That(first.GetProperty("model").GetString(), Is.EqualTo("penguins"));
            Assert.That(first.GetProperty("version").GetString(), Is.EqualTo("1.0.0"));
            Assert.That(DateTimeOffset.Parse(first.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
            Assert.That(first.GetProperty("inputs").GetProperty("Island").GetString(), Is.EqualTo("Torgersen"));
            Assert.That(first.GetProperty("inputs").GetProperty("Beak Length (mm)").GetDouble(), Is.EqualTo(39.1));
            Assert.That(lines[1].GetProperty("inputs").GetProperty("Sex").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(first.GetProperty("outputs").GetProperty("label").GetString(), Is.EqualTo(JsonDocument.Parse(batch.Body).RootElement.GetProperty("predictions")[0].GetProperty("label").GetString()));
            Assert.That(first.GetProperty("outputs").GetProperty("probabilities").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "Adelie", "Chinstrap", "Gentoo" }));
            Assert.That(lines[3].GetProperty("status").GetInt32(), Is.EqualTo(400));
            Assert.That(lines[3].GetProperty("error").GetString(), Does.Contain("missing feature"));
        });
    }

    [Test]
    public async Task A_rejection_is_logged_with_its_reason_and_rows_and_Monitor_counts_them_per_row_and_reason()
    {
        using var temp = new TempDirectory();
        var server = await ServerFixture.StartAsync(predictionLog: new PredictionLogOptions(temp.Path));
        await using var running = server;
        await PostAsync(server, "invocations", $$"""{"dataframe_records":[{{Row}},{{Row2}}]}""", "good-1");
        await PostAsync(server, "invocations", $$"""{"dataframe_records":[{{Row}},{{Row2}},{"Island":"Torgersen"}]}""", "missing-3");
        await PostAsync(server, "invocations", $$"""{"dataframe_records":[{{Row}},{{Row.Replace("3750", "\"heavy\"")}}]}""", "invalid-2");
        await PostAsync(server, "invocations", "{}", "malformed-1");
        using (var plain = new HttpRequestMessage(HttpMethod.Post, "invocations") { Content = new StringContent("x", Encoding.UTF8, "text/plain") })
        {
            using var response = await server.Http.SendAsync(plain);
        }

        await server.StopAsync();

        var rejections = Lines(temp.Path).Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.TryGetProperty("status", out _))
            .ToDictionary(l => l.GetProperty("reason").GetString()!, l => l.GetProperty("rejected_rows").GetInt32());
        var manifest = await PenguinTraffic.ManifestAsync();
        var table = await PenguinTraffic.TableAsync();
        var analyzer = new MonitorAnalyzer(PenguinTraffic.Profile(table, Enumerable.Range(0, table.RowCount)), manifest, MonitoringSpec.Default, "/tmp/p.yaml");
        var report = await analyzer.AnalyzeAsync(PredictionLogReader.Files(temp.Path, null), null, null, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(rejections, Is.EqualTo(new Dictionary<string, int>
            {
                ["missing_feature"] = 3, ["invalid_value"] = 2, ["malformed"] = 1, ["unsupported_media_type"] = 1,
            }));
            Assert.That(report.Log.Rejected, Is.EqualTo(4), "requests");
            Assert.That(report.Log.RejectedRows, Is.EqualTo(7));
            Assert.That(report.Log.RejectedRowsByReason["missing_feature"], Is.EqualTo(3));
            var rejected = report.Quality.Single(q => q.Check == "rejected");
            Assert.That(rejected.Column, Is.EqualTo("(rows)"));
            Assert.That(rejected.Value, Is.EqualTo(7.0 / 9).Within(1e-12), "7 rejected rows of 9 offered");
            Assert.That(report.Quality.Single(q => q.Check == "rejected_by_reason" && q.Column == "invalid_value").Value, Is.EqualTo(2.0 / 9).Within(1e-12));
            Assert.That(MonitorReportWriter.Markdown(report), Does.Contain("Rejected: 7 rows in 4 requests").And.Contain("| missing_feature"));
        });
    }

    [Test]
    public async Task With_the_writer_stalled_the_queue_holds_at_most_its_row_budget_whatever_the_request_count()
    {
        using var temp = new TempDirectory();
        using var release = new SemaphoreSlim(0);
        var stalled = new StallingStream(release);
        // Room for 1,000 requests but only 25 rows: batches of 10 rows fill the row budget first.
        await using var server = await ServerFixture.StartAsync(predictionLog: new PredictionLogOptions(temp.Path) { Capacity = 1000, MaxQueuedRows = 25 }, openLogFile: _ => stalled);
        var batch = $$"""{"dataframe_records":[{{string.Join(",", Enumerable.Repeat(Row, 10))}}]}""";

        for (var i = 0; i < 10; i++)
        {
            var (status, body, _) = await PostAsync(server, "invocations", batch);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        }

        var (_, metrics) = await server.GetAsync("metrics");
        // One batch is in the stuck write (10 rows), at most two more fit the 25-row budget; the rest are refused.
        Assert.That(Counter(metrics, "layercake_prediction_log_dropped_total"), Is.InRange(70, 80));
        release.Release(int.MaxValue / 2);
        await server.StopAsync();
    }

    [Test]
    public async Task A_stalled_writer_never_holds_a_request_and_its_drops_are_counted_in_metrics()
    {
        using var temp = new TempDirectory();
        using var release = new SemaphoreSlim(0);
        var stalled = new StallingStream(release);
        const int Requests = 20;
        await using var server = await ServerFixture.StartAsync(predictionLog: new PredictionLogOptions(temp.Path) { Capacity = 2 }, openLogFile: _ => stalled);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Requests; i++)
        {
            var (status, body, _) = await PostAsync(server, "invocations", $$"""{"dataframe_records":[{{Row}}]}""");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        }

        var elapsed = clock.Elapsed;
        var (_, metrics) = await server.GetAsync("metrics");
        var dropped = Counter(metrics, "layercake_prediction_log_dropped_total");
        TestContext.Out.WriteLine($"{Requests} requests in {elapsed.TotalMilliseconds:F0} ms with the writer stalled; {dropped} dropped");
        Assert.Multiple(() =>
        {
            Assert.That(stalled.Writes, Is.EqualTo(1), "the writer is stuck in its first write");
            // One entry is in the stuck write and at most two wait in the queue; the rest were refused.
            Assert.That(dropped, Is.InRange(Requests - 3, Requests - 2));
            Assert.That(Counter(metrics, "layercake_prediction_log_written_total"), Is.EqualTo(0));
        });

        release.Release(int.MaxValue / 2);
        await server.StopAsync();
        Assert.That(stalled.Writes, Is.EqualTo(Requests - dropped), "what was queued reaches the file once the disk answers");
    }

    [Test]
    public async Task A_directory_that_cannot_be_written_costs_log_lines_not_requests()
    {
        using var temp = new TempDirectory();
        var blocker = temp.Write("not-a-directory", "a file where the log directory should be");
        await using var server = await ServerFixture.StartAsync(predictionLog: new PredictionLogOptions(Path.Combine(blocker, "predictions")));

        var (status, body, _) = await PostAsync(server, "invocations", $$"""{"dataframe_records":[{{Row}}]}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        await Task.Delay(200);
        var (_, metrics) = await server.GetAsync("metrics");
        Assert.That(Counter(metrics, "layercake_prediction_log_failed_total"), Is.EqualTo(1));
    }

    [Test]
    public async Task Files_older_than_the_keep_period_are_deleted_when_a_new_file_opens()
    {
        using var temp = new TempDirectory();
        var now = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        File.WriteAllText(Path.Combine(temp.Path, "predictions-20261101T090000000Z-aaaaaaaa.jsonl"), "{}\n");
        File.WriteAllText(Path.Combine(temp.Path, "predictions-20261120T090000000Z-bbbbbbbb.jsonl"), "{}\n");
        File.WriteAllText(Path.Combine(temp.Path, "notes.txt"), "not a log, kept");
        var time = new ManualTime(now);
        var writer = new PredictionLogWriter(new PredictionLogOptions(temp.Path) { KeepFor = TimeSpan.FromDays(14) }, "penguins", "1.0.0", ["Adelie", "Chinstrap", "Gentoo"], time, Serilog.Core.Logger.None);

        writer.Offer(new PredictionLogEntry("r1", now, LoggedRows.From(new Dictionary<string, object?> { ["Island"] = "Dream" }), new ScoredBatch(1, ["Adelie"], [[0.9f, 0.05f, 0.05f]], null)));
        await writer.CompleteAsync(TimeSpan.FromSeconds(10));

        var names = Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.That(names, Has.Length.EqualTo(3));
        Assert.That(names, Does.Not.Contain("predictions-20261101T090000000Z-aaaaaaaa.jsonl"), "25 days old: deleted");
        Assert.That(names, Does.Contain("predictions-20261120T090000000Z-bbbbbbbb.jsonl").And.Contain("notes.txt"));
    }

    [Test]
    public async Task Files_rotate_by_size_and_by_the_hour_with_names_that_sort_by_time()
    {
        using var temp = new TempDirectory();
        var time = new ManualTime(new DateTimeOffset(2026, 11, 26, 10, 58, 0, TimeSpan.Zero));
        var options = new PredictionLogOptions(temp.Path) { MaxFileBytes = 2048 };
        var writer = new PredictionLogWriter(options, "penguins", "1.0.0", ["Adelie", "Chinstrap", "Gentoo"], time, Serilog.Core.Logger.None);
        var row = new Dictionary<string, object?> { ["Island"] = "Dream", ["Beak Length (mm)"] = 40.5 };
        var scored = new ScoredBatch(1, ["Adelie"], [[0.9f, 0.05f, 0.05f]], null);
        for (var i = 0; i < 60; i++)
        {
            // 30 requests at 10:58–10:59, 30 after 11:00: the hour boundary starts a new file whatever its size.
            time.Now = new DateTimeOffset(2026, 11, 26, 10, 58, 0, TimeSpan.Zero).AddSeconds(i * 4);
            writer.Offer(new PredictionLogEntry($"r{i}", time.Now, LoggedRows.From(row), scored));
            await Task.Delay(1);
        }

        await writer.CompleteAsync(TimeSpan.FromSeconds(10));
        var files = Directory.GetFiles(temp.Path).Select(Path.GetFileName).ToArray();
        var sorted = files.Order(StringComparer.Ordinal).ToArray();
        var ids = sorted.SelectMany(f => File.ReadAllLines(Path.Combine(temp.Path, f!))).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("request_id").GetString()).ToArray();
        TestContext.Out.WriteLine(string.Join('\n', sorted.Select(f => $"{f} {new FileInfo(Path.Combine(temp.Path, f!)).Length} bytes")));
        Assert.Multiple(() =>
        {
            Assert.That(files, Has.Length.GreaterThan(2), "2 KB files hold a few lines each");
            Assert.That(sorted.Select(f => new FileInfo(Path.Combine(temp.Path, f!)).Length), Has.All.LessThanOrEqualTo(2048));
            Assert.That(ids, Is.EqualTo(Enumerable.Range(0, 60).Select(i => $"r{i}")), "reading files in name order gives the lines in time order");
            Assert.That(sorted, Has.Some.StartsWith("predictions-20261126T110000000Z-"), "the first line after 11:00 opens a new file");
            Assert.That(sorted, Has.All.Match(@"^predictions-\d{8}T\d{9}Z-[0-9a-f]{8}\.jsonl$"));
            Assert.That(writer.Written, Is.EqualTo(60));
        });
    }

    [Test]
    public async Task A_sample_rate_of_zero_logs_nothing_and_one_logs_everything()
    {
        using var none = new TempDirectory();
        using var all = new TempDirectory();
        var time = new ManualTime(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        var scored = new ScoredBatch(1, ["Adelie"], [[1f, 0f, 0f]], null);
        var row = new Dictionary<string, object?> { ["Island"] = "Dream" };
        var off = new PredictionLogWriter(new PredictionLogOptions(none.Path) { SampleRate = 0 }, "penguins", "1.0.0", ["Adelie", "Chinstrap", "Gentoo"], time, Serilog.Core.Logger.None);
        var on = new PredictionLogWriter(new PredictionLogOptions(all.Path) { SampleRate = 1 }, "penguins", "1.0.0", ["Adelie", "Chinstrap", "Gentoo"], time, Serilog.Core.Logger.None);
        for (var i = 0; i < 100; i++)
        {
            off.Offer(new PredictionLogEntry($"r{i}", time.Now, LoggedRows.From(row), scored));
            on.Offer(new PredictionLogEntry($"r{i}", time.Now, LoggedRows.From(row), scored));
        }

        await off.CompleteAsync(TimeSpan.FromSeconds(10));
        await on.CompleteAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(none.Files(), Is.Empty);
            Assert.That((off.Written, off.Dropped), Is.EqualTo((0L, 0L)), "sampled out is neither written nor dropped");
            Assert.That(on.Written, Is.EqualTo(100));
            Assert.That(Lines(all.Path), Has.Length.EqualTo(100));
        });
    }

    [Test]
    public void Options_come_from_switches_or_variables()
    {
        var environment = new Dictionary<string, string>
        {
            [ServingEnvironmentVariables.PredictionLog] = "/var/lib/layercake/predictions",
            [ServingEnvironmentVariables.PredictionLogMaxBytes] = "1048576",
            [ServingEnvironmentVariables.PredictionLogSample] = "0.25",
        };
        var options = ServingOptions.Parse(["--prediction-log-capacity=500"], environment.GetValueOrDefault);

        Assert.Multiple(() =>
        {
            Assert.That(options.PredictionLog, Is.EqualTo(new PredictionLogOptions("/var/lib/layercake/predictions") { Capacity = 500, MaxFileBytes = 1048576, SampleRate = 0.25 }));
            Assert.That(ServingOptions.Parse([], _ => null).PredictionLog, Is.Null, "off unless a directory is given");
            Assert.That(() => ServingOptions.Parse(["--prediction-log=/x", "--prediction-log-sample=2"], _ => null), Throws.ArgumentException.With.Message.Contains("from 0 to 1"));
        });
    }

    [Test]
    public void Off_turns_the_log_off_even_over_a_deployments_folder()
    {
        var deployed = new Dictionary<string, string> { [ServingEnvironmentVariables.PredictionLog] = "/var/lib/layercake/predictions" };
        var off = new Dictionary<string, string> { [ServingEnvironmentVariables.PredictionLog] = PredictionLogOptions.Off };

        Assert.Multiple(() =>
        {
            Assert.That(ServingOptions.Parse([], off.GetValueOrDefault).PredictionLog, Is.Null);
            Assert.That(ServingOptions.Parse(["--prediction-log=OFF"], deployed.GetValueOrDefault).PredictionLog, Is.Null, "the switch wins, in any case");
            Assert.That(ServingOptions.Parse(["--prediction-log=./off"], _ => null).PredictionLog?.Directory, Is.EqualTo("./off"), "a folder named off");
        });
    }

    private static long Counter(string metrics, string name) =>
        long.Parse(metrics.Split('\n').Single(l => l.StartsWith(name + "{", StringComparison.Ordinal)).Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A log file whose first write waits until the test releases it: a disk that stopped answering.</summary>
    private sealed class StallingStream(SemaphoreSlim release) : MemoryStream
    {
        private int _writes;

        public int Writes => Volatile.Read(ref _writes);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _writes);
            await release.WaitAsync(cancellationToken);
            await base.WriteAsync(buffer, cancellationToken);
        }
    }
}
