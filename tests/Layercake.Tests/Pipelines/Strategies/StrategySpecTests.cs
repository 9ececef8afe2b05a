using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Strategies;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines.Strategies;

[Category(Categories.Unit)]
public sealed class StrategySpecTests
{
    private const string File = "/repo/pipelines/x.yaml";
    private const string Minimal = "name: strat\ndata: data.csv\nlabel: y\ntask: multiclass\n";

    private static EnvironmentSpec Production(string strategy)
    {
        var yaml = Minimal + "environments:\n  production:\n    port: 8082\n    strategy:" + strategy;
        var spec = PipelineSpecLoader.Parse(yaml, File);
        Assert.That(PipelineSchema.Errors(yaml), Is.Empty, "the loader accepts it, so the schema should too");
        return spec.Environment("production");
    }

    [Test]
    public void Reads_a_canary_with_its_steps_interval_and_analysis()
    {
        var production = Production("""

                  kind: canary
                  steps: [10, 25, 50]
                  interval: 30s
                  analysis:
                    max_error_rate: 0.02
                    max_p99_ratio: 2
                    prediction_drift: false
                    min_requests: 50
                    failure_limit: 2
                    window: 20s
            """);

        Assert.Multiple(() =>
        {
            Assert.That(production.Strategy.Kind, Is.EqualTo(RolloutKind.Canary));
            Assert.That(production.Strategy.Steps, Is.EqualTo(new[] { 10, 25, 50 }));
            Assert.That(production.Strategy.Interval, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(production.Strategy.AnalysisWindow, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(production.Strategy.Analysis, Is.EqualTo(new RolloutAnalysisSpec(0.02, 2, null, false, 0.01, 50, 2, TimeSpan.FromSeconds(20))));
            Assert.That(production.Strategy.Location.Line, Is.EqualTo(9), "the strategy mapping starts at its first key");
        });
    }

    [Test]
    public void Defaults_to_all_at_once_and_a_bare_kind_takes_the_defaults()
    {
        var plain = PipelineSpecLoader.Parse(Minimal + "environments:\n  staging:\n    port: 8081\n", File).Environment("staging");
        var canary = Production(" canary");
        var shadow = Production(" { kind: shadow, duration: 2m }");

        Assert.Multiple(() =>
        {
            Assert.That(plain.Strategy.Kind, Is.EqualTo(RolloutKind.AllAtOnce));
            Assert.That(plain.Strategy.NeedsProxy, Is.False);
            Assert.That(canary.Strategy.Steps, Is.EqualTo(new[] { 10, 25, 50 }));
            Assert.That(canary.Strategy.Interval, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(canary.Strategy.Analysis, Is.EqualTo(RolloutAnalysisSpec.Default));
            Assert.That(shadow.Strategy.Kind, Is.EqualTo(RolloutKind.Shadow));
            Assert.That(shadow.Strategy.Duration, Is.EqualTo(TimeSpan.FromMinutes(2)));
            Assert.That(shadow.Strategy.AnalysisWindow, Is.EqualTo(TimeSpan.FromMinutes(2)));
        });
    }

    [Test]
    public void Reads_a_shadows_agreement_thresholds()
    {
        var production = Production(" { kind: shadow, duration: 1m, analysis: { min_agreement: 0.95, max_mean_abs_difference: 0.25 } }");

        Assert.That((production.Strategy.Analysis.MinAgreement, production.Strategy.Analysis.MaxMeanAbsoluteDifference), Is.EqualTo((0.95, 0.25)));
    }

    [TestCase(" { kind: canary, steps: [10, 150] }", 8, 43, "steps", "from 1 to 100, found '150'")]
    [TestCase(" { kind: canary, steps: [0, 50] }", 8, 39, "steps", "from 1 to 100, found '0'")]
    [TestCase(" { kind: canary, steps: [25, 10] }", 8, 43, "steps", "steps must increase: 10 follows 25")]
    [TestCase(" { kind: canary, steps: [10, 10] }", 8, 43, "steps", "steps must increase")]
    [TestCase(" { kind: canary, steps: [] }", 8, 38, "steps", "at least one step")]
    [TestCase(" { kind: canary, interval: 10s, analysis: { window: 30s } }", 8, 41, "interval", "interval 10s is shorter than the analysis window 30s")]
    [TestCase(" { kind: canary, interval: 500ms }", 8, 41, "interval", "at least 1s")]
    [TestCase(" { kind: shadow, duration: 1m, analysis: { window: 2m } }", 8, 41, "duration", "shorter than the analysis window")]
    [TestCase(" { kind: shadow, steps: [10] }", 8, 38, "steps", "applies to canary only, not to shadow")]
    [TestCase(" { kind: canary, duration: 5m }", 8, 41, "duration", "applies to shadow only")]
    [TestCase(" { kind: rolling }", 8, 23, "kind", "expected one of: all_at_once, canary, shadow")]
    [TestCase(" { steps: [10] }", 8, 15, "kind", "is required")]
    [TestCase(" { kind: canary, analysis: { max_error_rate: 2 } }", 8, 59, "analysis.max_error_rate", "from 0 to 1")]
    [TestCase(" { kind: canary, analysis: { threshold: 2 } }", 8, 43, "analysis.threshold", "unknown key")]
    [TestCase(" { kind: shadow, analysis: { min_agreement: 1.5 } }", 8, 58, "analysis.min_agreement", "from 0 to 1, found 1.5")]
    [TestCase(" { kind: shadow, analysis: { min_agreement: high } }", 8, 58, "analysis.min_agreement", "expected a finite number, found 'high'")]
    [TestCase(" { kind: shadow, analysis: { max_mean_abs_difference: -1 } }", 8, 68, "analysis.max_mean_abs_difference", "expected a number from 0 to")]
    [TestCase(" { kind: canary, analysis: { min_agreement: 0.9 } }", 8, 58, "analysis.min_agreement", "applies to shadow only, not to canary")]
    [TestCase(" { kind: canary, analysis: { max_mean_abs_difference: 0.5 } }", 8, 68, "analysis.max_mean_abs_difference", "applies to shadow only, not to canary")]
    public void Rejects_a_bad_strategy_at_its_file_line_and_column(string strategy, int line, int column, string key, string problem)
    {
        var error = Assert.Throws<PipelineSpecException>(() => Production(strategy))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Key, Is.EqualTo($"environments.production.strategy.{key}"), error.Message);
            Assert.That(error.Message, Does.StartWith($"{File}:{line}:{column}: "), error.Message);
            Assert.That(error.Message, Does.Contain(problem));
        });
    }

    [Test]
    public void Rejects_a_shadow_on_swarm_where_no_proxy_can_mirror()
    {
        var yaml = Minimal + "environments:\n  cluster:\n    target: swarm\n    port: 8090\n    strategy: { kind: shadow, }\n";

        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(yaml, File))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith($"{File}:9:23: 'environments.cluster.strategy.kind'"));
            Assert.That(error.Message, Does.Contain("shadow needs the docker target").And.Contain("mirror requests"));
        });
    }

    [Test]
    public void Reads_a_canary_on_swarm_with_host_publishing()
    {
        var yaml = Minimal + "environments:\n  cluster:\n    target: swarm\n    port: 8090\n    strategy: { kind: canary, steps: [5, 20] }\n";

        var cluster = PipelineSpecLoader.Parse(yaml, File).Environment("cluster");

        Assert.That((cluster.Strategy.Kind, cluster.Strategy.Steps), Is.EqualTo((RolloutKind.Canary, new[] { 5, 20 })));
        Assert.That(PipelineSchema.Errors(yaml), Is.Empty);
    }

    [Test]
    public void Rejects_a_canary_on_swarm_behind_the_routing_mesh()
    {
        var yaml = Minimal + "environments:\n  cluster:\n    target: swarm\n    port: 8090\n    publish_mode: ingress\n    strategy: canary\n";

        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(yaml, File))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith($"{File}:10:15: 'environments.cluster.strategy'"), error.Message);
            Assert.That(error.Message, Does.Contain("needs publish_mode: host"));
        });
    }

    [TestCase("auth: { tokens_file: ../secrets/p.tokens }", "canary", "auth")]
    [TestCase("tls: { certificate: ../secrets/tls.crt, key: ../secrets/tls.key }", "{ kind: shadow, duration: 5m }", "tls")]
    public void Rejects_a_rollout_of_an_environment_that_requires_tokens_or_TLS(string secured, string strategy, string named)
    {
        var yaml = Minimal + $"environments:\n  production:\n    port: 8082\n    {secured}\n    strategy: {strategy}\n";

        var error = Assert.Throws<PipelineSpecException>(() => PipelineSpecLoader.Parse(yaml, File))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith($"{File}:9:"), error.Message);
            Assert.That(error.Key, Does.StartWith("environments.production.strategy"));
            Assert.That(error.Message, Does.Contain($"cannot serve an environment with {named}").And.Contain("all_at_once"));
        });
    }
}
