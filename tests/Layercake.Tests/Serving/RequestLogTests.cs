using System.Collections.Concurrent;
using Layercake.Tests.TestSupport;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Layercake.Tests.Serving;

/// <summary>
/// The server's console log: one line per request only at Debug, since at full load it costs a third of a request's
/// CPU, while the start and the failures stay at the default level.
/// </summary>
[Category(Categories.Integration)]
public sealed class RequestLogTests
{
    private const string Penguin = """{"dataframe_records":[{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":215,"Body Mass (g)":5000,"Sex":"FEMALE"}]}""";

    [Test]
    public async Task At_the_default_level_answered_requests_write_no_line_each()
    {
        var lines = new Lines();
        await using (var server = await ServerFixture.StartAsync(logger: Logger(LogEventLevel.Information, lines)))
        {
            Assert.That((await server.PostAsync("invocations", Penguin)).Status, Is.EqualTo(System.Net.HttpStatusCode.OK));
            Assert.That((await server.PostAsync("invocations", "{")).Status, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
            Assert.That((await server.GetAsync("v2/health/ready")).Status, Is.EqualTo(System.Net.HttpStatusCode.OK));
        }

        Assert.That(lines.Messages, Has.Some.Contains("Serving"), "the start is logged");
        Assert.That(lines.Messages, Has.None.Contains("responded"));
    }

    [Test]
    public async Task At_debug_every_request_has_its_line_with_status_and_time()
    {
        var lines = new Lines();
        await using (var server = await ServerFixture.StartAsync(logger: Logger(LogEventLevel.Debug, lines)))
        {
            await server.PostAsync("invocations", Penguin);
            await server.PostAsync("invocations", "{");
        }

        var requests = lines.Messages.Where(m => m.Contains("responded", StringComparison.Ordinal)).ToArray();
        Assert.That(requests, Has.Some.Match("^\"POST\" \"/invocations\" responded 200 in [0-9.]+ ms$"));
        Assert.That(requests, Has.Some.Match("^\"POST\" \"/invocations\" responded 400 in [0-9.]+ ms$"));
    }

    private static Serilog.ILogger Logger(LogEventLevel level, Lines lines) =>
        new LoggerConfiguration().MinimumLevel.Is(level).WriteTo.Sink(lines).CreateLogger();

    private sealed class Lines : ILogEventSink
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => [.. _messages];

        public void Emit(LogEvent logEvent) => _messages.Enqueue(logEvent.RenderMessage());
    }
}
