using Layercake.Deployment.Rollouts;
using Layercake.Pipelines.Strategies;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Deployment.Rollouts;

[Category(Categories.Unit)]
public sealed class CanaryAnalysisTests
{
    private static string Metrics(long ok, long errors, long fast, long slow, long adelie, long gentoo) => $$"""
        # HELP layercake_requests_total HTTP requests by endpoint and status code.
        # TYPE layercake_requests_total counter
        layercake_requests_total{model="m",version="1",endpoint="/v2/models/{name}/infer",status="200"} {{ok}}
        layercake_requests_total{model="m",version="1",endpoint="/v2/models/{name}/infer",status="500"} {{errors}}
        layercake_requests_total{model="m",version="1",endpoint="/metrics",status="200"} 999
        # TYPE layercake_request_duration_seconds histogram
        layercake_request_duration_seconds_bucket{model="m",version="1",endpoint="/v2/models/{name}/infer",le="0.001"} {{fast}}
        layercake_request_duration_seconds_bucket{model="m",version="1",endpoint="/v2/models/{name}/infer",le="0.01"} {{fast + slow}}
        layercake_request_duration_seconds_bucket{model="m",version="1",endpoint="/v2/models/{name}/infer",le="+Inf"} {{fast + slow}}
        layercake_request_duration_seconds_bucket{model="m",version="1",endpoint="/metrics",le="+Inf"} 999
        # TYPE layercake_predictions_total counter
        layercake_predictions_total{model="m",version="1",class="Adelie"} {{adelie}}
        layercake_predictions_total{model="m",version="1",class="Gentoo"} {{gentoo}}
        """;

    [Test]
    public void Reads_inference_requests_errors_latency_and_predicted_classes_and_differences_two_snapshots()
    {
        var before = VersionMetrics.Parse(Metrics(10, 0, 10, 0, 5, 5));
        var after = VersionMetrics.Parse(Metrics(110, 2, 100, 12, 60, 55));

        var window = after.Since(before);

        Assert.Multiple(() =>
        {
            Assert.That(window.Requests, Is.EqualTo(102), "inference endpoints only, 5xx included");
            Assert.That(window.Errors, Is.EqualTo(2));
            Assert.That(window.Predictions, Is.EqualTo(new Dictionary<string, long> { ["Adelie"] = 55, ["Gentoo"] = 50 }));
            Assert.That(window.Quantile(0.5)!.Value.TotalMilliseconds, Is.EqualTo(0.567).Within(0.001), "interpolated in the first bucket");
            Assert.That(window.Quantile(0.99)!.Value.TotalMilliseconds, Is.EqualTo(9.235).Within(0.001), "interpolated in 1-10 ms");
            Assert.That(VersionMetrics.Parse("").Quantile(0.99), Is.Null);
        });
    }

    [Test]
    public void A_canary_like_the_stable_version_passes_every_check()
    {
        var stable = VersionMetrics.Parse(Metrics(900, 0, 890, 10, 450, 450));
        var canary = VersionMetrics.Parse(Metrics(100, 0, 99, 1, 52, 48));

        var checks = CanaryAnalysis.Check(RolloutAnalysisSpec.Default, stable, canary);

        Assert.That(checks.Select(c => (c.Name, c.Passed)), Is.EqualTo(new[]
        {
            ("traffic", true), ("error rate", true), ("p99 ratio", true), ("prediction drift", true),
        }), string.Join("\n", checks));
    }

    [Test]
    public void A_canary_that_predicts_other_classes_fails_the_drift_check_with_its_shares()
    {
        var stable = VersionMetrics.Parse(Metrics(900, 0, 900, 0, 900, 0));
        var canary = VersionMetrics.Parse(Metrics(100, 0, 100, 0, 0, 100));

        var drift = CanaryAnalysis.Check(RolloutAnalysisSpec.Default, stable, canary).Single(c => c.Name == "prediction drift");

        Assert.Multiple(() =>
        {
            Assert.That(drift.Passed, Is.False);
            Assert.That(drift.Measured, Does.StartWith("chi-square p = 0 ").And.Contain("Adelie 100 %→0 %").And.Contain("Gentoo 0 %→100 %"));
        });
    }

    [Test]
    public void Errors_and_a_slow_tail_fail_their_checks()
    {
        var stable = VersionMetrics.Parse(Metrics(900, 0, 900, 0, 450, 450));
        var canary = VersionMetrics.Parse(Metrics(95, 5, 50, 50, 50, 50));
        var spec = RolloutAnalysisSpec.Default with { MaxP99 = TimeSpan.FromMilliseconds(5) };

        var checks = CanaryAnalysis.Check(spec, stable, canary).ToDictionary(c => c.Name);

        Assert.Multiple(() =>
        {
            Assert.That(checks["error rate"].Passed, Is.False);
            Assert.That(checks["error rate"].Measured, Is.EqualTo("5 %"));
            Assert.That(checks["p99"].Passed, Is.False);
            Assert.That(checks["p99 ratio"].Passed, Is.False);
        });
    }

    [Test]
    public void Too_few_canary_requests_decide_nothing_and_say_so()
    {
        var stable = VersionMetrics.Parse(Metrics(900, 0, 900, 0, 450, 450));
        var canary = VersionMetrics.Parse(Metrics(99, 0, 99, 0, 50, 49));

        var checks = CanaryAnalysis.Check(RolloutAnalysisSpec.Default, stable, canary);

        Assert.That(checks.Single(), Is.EqualTo(new RolloutCheck("traffic", false, "99 requests", ">= 100 (not enough traffic to decide)")));
    }
}
