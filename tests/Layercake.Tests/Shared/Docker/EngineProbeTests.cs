using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Layercake.Deployment.Environments;
using Layercake.Shared.Docker;
using Layercake.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Layercake.Tests.Shared.Docker;

/// <summary>
/// The probe against real endpoints: a socket that does not exist, a closed port, a listener that never answers (the
/// probe's own timeout, not the client's 100 s), an HTTP server answering the ping or refusing it, and (Docker
/// category) the running engine through the docker target.
/// </summary>
public sealed class EngineProbeTests
{
    [Test, Category(Categories.Unit)]
    public async Task A_socket_that_does_not_exist_does_not_answer()
    {
        using var docker = Client($"unix:///tmp/layercake-probe-{Guid.NewGuid():N}/none.sock");

        var why = await EngineProbe.WhyNotAnsweringAsync(docker, EngineProbe.QuickTimeout, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(why, Is.Not.Null.And.Not.TypeOf<TimeoutException>(), "refused at once, not timed out");
            Assert.That(await EngineProbe.AnswersAsync(docker, CancellationToken.None), Is.False);
        });
    }

    [Test, Category(Categories.Unit)]
    public async Task A_closed_port_does_not_answer()
    {
        using var docker = Client($"tcp://127.0.0.1:{HostPort.FreeLoopback()}");

        Assert.That(await EngineProbe.AnswersAsync(docker, CancellationToken.None), Is.False);
    }

    [Test, Category(Categories.Unit), CancelAfter(30_000)]
    public async Task A_listener_that_never_answers_is_given_up_on_after_the_probes_timeout()
    {
        // Connections complete in the kernel's backlog without Accept, so the request is sent and never answered.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var docker = Client($"tcp://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");
        var clock = Stopwatch.StartNew();

        var why = await EngineProbe.WhyNotAnsweringAsync(docker, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(why, Is.TypeOf<TimeoutException>().With.Message.EqualTo("no answer to a ping within 1 s"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the probe's timeout, not the client's 100 s");
        });
    }

    [Category(Categories.Unit)]
    [TestCase(200, true)]
    [TestCase(500, false)]
    public async Task An_engine_answers_when_its_ping_succeeds(int status, bool answers)
    {
        var port = HostPort.FreeLoopback();
        using var server = new HttpListener { Prefixes = { $"http://127.0.0.1:{port}/" } };
        server.Start();
        var paths = new List<string>();
        var serving = Task.Run(async () =>
        {
            var context = await server.GetContextAsync();
            paths.Add(context.Request.Url!.AbsolutePath);
            context.Response.StatusCode = status;
            await context.Response.OutputStream.WriteAsync("OK"u8.ToArray());
            context.Response.Close();
        });
        using var docker = Client($"tcp://127.0.0.1:{port}");

        var answered = await EngineProbe.AnswersAsync(docker, CancellationToken.None);
        await serving;

        Assert.Multiple(() =>
        {
            Assert.That(answered, Is.EqualTo(answers));
            Assert.That(paths.Single(), Does.EndWith("/_ping"));
        });
    }

    [Test, Category(Categories.Unit)]
    public void A_cancelled_caller_is_told_so_rather_than_that_the_engine_is_gone()
    {
        using var docker = Client($"tcp://127.0.0.1:{HostPort.FreeLoopback()}");

        Assert.CatchAsync<OperationCanceledException>(() => EngineProbe.WhyNotAnsweringAsync(docker, EngineProbe.QuickTimeout, new CancellationToken(true)));
    }

    [Test, Category(Categories.Integration), Category(Categories.Docker)]
    public async Task The_running_engine_answers_through_the_docker_target()
    {
        using var docker = await DockerEngine.ConnectAsync(CancellationToken.None);

        Assert.That(await new LocalDockerTarget(docker, NullLogger.Instance, TimeProvider.System).EngineAnswersAsync(CancellationToken.None), Is.True);
    }

    private static DockerClient Client(string endpoint) => new DockerClientBuilder().WithEndpoint(new Uri(endpoint)).Build();
}
