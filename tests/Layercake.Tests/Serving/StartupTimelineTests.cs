using Layercake.Serving.Observability;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving;

/// <summary>The start's timeline: phases timed on any thread, described in the order they began.</summary>
[Category(Categories.Unit)]
public sealed class StartupTimelineTests
{
    [Test]
    public async Task Phases_timed_on_other_threads_are_described_in_the_order_they_began()
    {
        var startup = new StartupTimeline();
        var began = startup.ElapsedMilliseconds;
        using var modelStarted = new ManualResetEventSlim();
        var loading = Task.Run(() => startup.Time("model", () =>
        {
            modelStarted.Set();
            Thread.Sleep(30);
        }));
        modelStarted.Wait();
        startup.Time("host", () => 42);
        await loading;
        startup.Record("since the start", began);

        var phases = startup.Phases.OrderBy(p => p.StartedMilliseconds).ToArray();

        Assert.That(phases.Select(p => p.Name), Is.EqualTo(new[] { "since the start", "model", "host" }));
        Assert.That(phases.Single(p => p.Name == "model").Milliseconds, Is.GreaterThanOrEqualTo(25));
        Assert.That(phases.Single(p => p.Name == "since the start").Milliseconds, Is.GreaterThanOrEqualTo(phases.Single(p => p.Name == "model").Milliseconds));
        Assert.That(startup.Describe(), Does.StartWith("since the start ").And.Contain(", model ").And.Contain(" ms (from "));
        Assert.That(startup.ProcessToMainMilliseconds, Is.GreaterThanOrEqualTo(0));
    }
}
