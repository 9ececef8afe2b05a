using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Layercake.Serving.Admission;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Serving.Admission;

/// <summary>The bound on scoring work in a real server pushed far past it: fast 503s with Retry-After, health always answered.</summary>
[Category(Categories.Unit)]
[NonParallelizable]
public sealed class AdmissionTests
{
    [Test]
    public async Task Past_the_bound_scoring_gets_a_fast_503_with_Retry_After_and_health_never_fails()
    {
        await using var server = await ServerFixture.StartAsync(maxRows: 5000, maxBodyBytes: 4 * 1024 * 1024,
            configure: o => o with { Admission = new AdmissionOptions(2, TimeSpan.Zero) });
        var body = Rows(500);
        var statuses = new ConcurrentDictionary<int, int>();
        var shedTimes = new ConcurrentBag<double>();
        var retryAfter = new ConcurrentBag<string>();
        var healthFailures = 0;
        var healthChecks = 0;
        var healthSlowest = 0.0;
        using var stop = new CancellationTokenSource();
        var health = Task.Run(async () =>
        {
            using var probe = new HttpClient { BaseAddress = server.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
            while (!stop.IsCancellationRequested)
            {
                var asked = Stopwatch.StartNew();
                try
                {
                    using var response = await probe.GetAsync("v2/health/ready");
                    healthSlowest = Math.Max(healthSlowest, asked.Elapsed.TotalMilliseconds);
                    healthFailures += response.IsSuccessStatusCode ? 0 : 1;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    healthFailures++;
                }

                healthChecks++;
                await Task.Delay(20);
            }
        });

        var took = Stopwatch.StartNew();
        // 16 closed-loop clients for 3 s against a bound of 2: eight times what may run at once.
        await Parallel.ForEachAsync(Enumerable.Range(0, 16), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, cancellation) =>
        {
            while (took.Elapsed < TimeSpan.FromSeconds(3))
            {
                var clock = Stopwatch.StartNew();
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await server.Http.PostAsync("invocations", content, cancellation);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    shedTimes.Add(clock.Elapsed.TotalMilliseconds);
                    retryAfter.Add(response.Headers.RetryAfter?.ToString() ?? "");
                    Assert.That(await response.Content.ReadAsStringAsync(cancellation), Does.Contain("TEMPORARILY_UNAVAILABLE"));
                }
            }
        });

        await stop.CancelAsync();
        await health;
        var after = await server.PostAsync("invocations", Rows(1));
        var metrics = await server.GetAsync("metrics");
        var shed = statuses.GetValueOrDefault(503);
        TestContext.Out.WriteLine($"statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; " +
            $"503 median {Median(shedTimes):0.0} ms; {healthChecks} health checks, {healthFailures} failed, " +
            $"slowest {healthSlowest:0} ms; took {took.Elapsed.TotalSeconds:0.0} s");
        Assert.Multiple(() =>
        {
            Assert.That(shed, Is.GreaterThan(0), "16 clients against a bound of 2 are shed");
            Assert.That(statuses.Keys, Is.SubsetOf(new[] { 200, 503 }));
            Assert.That(retryAfter, Is.All.EqualTo("1"));
            Assert.That(healthFailures, Is.Zero);
            Assert.That(healthChecks, Is.GreaterThan(5));
            Assert.That(after.Status, Is.EqualTo(HttpStatusCode.OK), "scoring again once the load stops");
            Assert.That(metrics.Body, Does.Contain($"layercake_requests_shed_total{{model=\"penguins\",version=\"1.0.0\"}} {shed}"));
            Assert.That(metrics.Body, Does.Contain("layercake_requests_in_flight{model=\"penguins\",version=\"1.0.0\"} 0"));
        });
    }

    [Test]
    public async Task Without_a_bound_nothing_is_shed_and_no_admission_metrics_are_shown()
    {
        await using var server = await ServerFixture.StartAsync();
        var scored = await server.PostAsync("invocations", Rows(1));
        var metrics = await server.GetAsync("metrics");
        Assert.That(scored.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(metrics.Body, Does.Not.Contain("layercake_requests_shed_total"));
    }

    [TestCase("0")]
    [TestCase("-3")]
    [TestCase("many")]
    public void A_bound_that_is_not_a_positive_whole_number_is_refused(string value)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            AdmissionOptions.Parse((_, variable) => variable == "LAYERCAKE_MAX_CONCURRENT_REQUESTS" ? value : null));
        Assert.That(ex!.Message, Does.Contain("max-concurrent-requests").And.Contain(value));
    }

    private static string Rows(int count) =>
        "{\"dataframe_records\":[" + string.Join(',', Enumerable.Repeat(
            Row, count)) + "]}";

    private const string Row =
        """{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":14.2,"Flipper Length (mm)":""" +
        """215,"Body Mass (g)":4500,"Sex":"MALE"}""";

    private static double Median(IEnumerable<double> values) => values.Order().DefaultIfEmpty(0).ElementAt(values.Count() / 2);
}
