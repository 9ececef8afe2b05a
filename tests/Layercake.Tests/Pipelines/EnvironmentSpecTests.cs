using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Gates;
using Layercake.Pipelines.Locations;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.Pipelines;

[Category(Categories.Unit)]
public sealed class EnvironmentSpecTests
{
    private const string File = "/repo/pipelines/test.yaml";
    private const string Minimal = "name: envtest\ndata: data.csv\nlabel: y\ntask: regression\n";

    private static PipelineSpec Parse(string environments) => PipelineSpecLoader.Parse(Minimal + environments, File);

    [Test]
    public void Reads_docker_and_swarm_environments_with_their_settings_and_defaults()
    {
        var spec = Parse("""
            environments:
              staging:
                port: 8081
                memory: 256m
                cpus: 0.5
                ready_timeout: 500ms
                drain_timeout: 1m
              cluster:
                target: swarm
                port: 8090
                replicas: 3
                update_delay: 2s
                publish_mode: ingress
            """);

        var staging = spec.Environment("staging");
        var cluster = spec.Environment("cluster");
        Assert.Multiple(() =>
        {
            Assert.That(staging.Target, Is.EqualTo(DeployTargetKind.Docker));
            Assert.That(staging.Port, Is.EqualTo(8081));
            Assert.That(staging.MemoryBytes, Is.EqualTo(256L * 1024 * 1024));
            Assert.That(staging.Cpus, Is.EqualTo(0.5));
            Assert.That(staging.ReadyTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(staging.DrainTimeout, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(staging.Watch, Is.EqualTo(TimeSpan.FromSeconds(2)), "default");
            Assert.That(staging.RestartPolicy, Is.EqualTo("always"), "default");
            Assert.That(staging.Swarm, Is.Null);
            Assert.That(cluster.Swarm, Is.EqualTo(new SwarmSpec("layercake-envtest-cluster", 3, 1, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), "ingress")));
        });
    }

    [TestCase("environments:\n  staging:\n    memory: 1g", 7, "environments.staging.port", "is required")]
    [TestCase("environments:\n  staging:\n    port: 99999", 7, "environments.staging.port", "from 1 to 65535")]
    [TestCase("environments:\n  staging:\n    port: 8081\n    replicas: 2", 8, "environments.staging.replicas", "unknown key")]
    [TestCase("environments:\n  staging:\n    port: 8081\n    target: kubernetes", 8, "environments.staging.target", "expected one of: docker, swarm")]
    [TestCase("environments:\n  staging:\n    port: 8081\n    ready_timeout: soon", 8, "environments.staging.ready_timeout", "expected a duration")]
    [TestCase("environments:\n  staging:\n    port: 8081\n    memory: 2m", 8, "environments.staging.memory", "below Docker's minimum")]
    [TestCase("environments:\n  Staging_1:\n    port: 8081", 6, "environments.Staging_1", "not a valid environment name")]
    [TestCase("environments:\n  a:\n    port: 8081\n  b:\n    port: 8081", 8, "environments.b.port", "also used by environment 'a'")]
    [TestCase("environments: [staging]", 5, "environments", "expected a mapping")]
    public void Rejects_bad_environments_naming_file_line_and_key(string yaml, int line, string key, string problem)
    {
        var error = Assert.Throws<PipelineSpecException>(() => Parse(yaml))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Key, Is.EqualTo(key), error.Message);
            Assert.That(error.Location.Line, Is.EqualTo(line), error.Message);
            Assert.That(error.Message, Does.StartWith($"{File}:{line}:"));
            Assert.That(error.Message, Does.Contain(problem));
        });
    }

    [Test]
    public void Asking_for_an_undeclared_environment_lists_the_declared_ones()
    {
        var spec = Parse("environments:\n  staging:\n    port: 8081\n  production:\n    port: 8082\n");

        var error = Assert.Throws<ArgumentException>(() => spec.Environment("prod"))!;

        Assert.That(error.Message, Does.Contain("no environment 'prod'").And.Contain("staging, production"));
    }

    [Test]
    public void The_champion_gate_reads_absolute_and_relative_drops()
    {
        var spec = PipelineSpecLoader.Parse(Minimal + "gates:\n  champion:\n    max_absolute_drop: 0.5\n    max_relative_drop: 0.02\n", File);

        Assert.That(spec.Gates.Champion, Is.EqualTo(new ChampionGate(0.5, 0.02)));
    }
}
