using System.Net;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>Two server versions on one port, the ground a no-downtime switch stands on.</summary>
[Category(Categories.Unit)]
[NonParallelizable]
public sealed class ReusePortTests
{
    [Test]
    public async Task With_reuse_port_two_servers_share_a_port_and_the_survivor_answers_after_one_stops()
    {
        await using var first = await ServerFixture.StartAsync(reusePort: true);
        var second = await ServerFixture.StartAsync(port: first.Port, reusePort: true);

        Assert.That((await first.GetAsync("v2/health/ready")).Status, Is.EqualTo(HttpStatusCode.OK));
        await second.DisposeAsync();
        using var fresh = new HttpClient { BaseAddress = first.Http.BaseAddress };
        Assert.That((await fresh.GetAsync("v2/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Without_it_a_second_server_cannot_take_the_port()
    {
        await using var first = await ServerFixture.StartAsync();

        Assert.CatchAsync<IOException>(async () => await ServerFixture.StartAsync(port: first.Port));
    }
}
