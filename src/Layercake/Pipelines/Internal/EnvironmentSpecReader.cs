using System.Globalization;
using System.Text.RegularExpressions;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Locations;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>Reads the <c>environments:</c> section: one mapping per environment name.</summary>
internal static partial class EnvironmentSpecReader
{
    private static readonly string[] DockerKeys =
        ["target", "port", "memory", "cpus", "restart", "ready_timeout", "watch", "drain_timeout", "auth", "tls", "strategy"];
    private static readonly string[] SwarmKeys =
        [.. DockerKeys, "service", "replicas", "update_parallelism", "update_delay", "monitor", "publish_mode"];

    private static readonly Dictionary<string,
        DeployTargetKind> Targets = new() { ["docker"] = DeployTargetKind.Docker, ["swarm"] = DeployTargetKind.Swarm };
    private static readonly Dictionary<string,
        string> RestartPolicies =
        new() { ["no"] = "no", ["on-failure"] = "on-failure", ["always"] = "always", ["unless-stopped"] = "unless-stopped" };
    private static readonly Dictionary<string, string> PublishModes = new() { ["host"] = "host", ["ingress"] = "ingress" };

    public static IReadOnlyList<EnvironmentSpec> Read(YamlSection top, string pipeline)
    {
        if (top.Get("environments") is not { } node)
        {
            return [];
        }

        if (node is not YamlMappingNode mapping)
        {
            throw top.Error(node, "environments", "expected a mapping of environment names to their settings");
        }

        var environments = new List<EnvironmentSpec>();
        foreach (var (key, value) in mapping.Children)
        {
            var name = top.ScalarText(key, "environments");
            var keyPath = $"environments.{name}";
            if (!NamePattern().IsMatch(name))
            {
                throw top.Error(key, keyPath,
                    $"'{name}' is not a valid environment name; use lower-case letters, digits and dashes (at most 32 characters)");
            }

            var target = value is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("target"), out var t)
                ? top.ParseEnum(t, $"{keyPath}.target", Targets)
                : DeployTargetKind.Docker;
            var section = top.Section(value, keyPath, target == DeployTargetKind.Swarm ? SwarmKeys : DockerKeys);
            environments.Add(ReadOne(section, name, pipeline, target, keyPath, YamlSection.Locate(key)));
        }

        var ports = environments.GroupBy(e => e.Port).FirstOrDefault(g => g.Count() > 1);
        if (ports is not null)
        {
            var second = ports.Skip(1).First();
            throw new PipelineSpecException(top.File, second.Location, $"environments.{second.Name}.port",
                $"port {ports.Key} is also used by environment '{ports.First().Name}'; each environment needs a port of its own");
        }

        return environments;
    }

    private static EnvironmentSpec ReadOne(YamlSection section, string name, string pipeline, DeployTargetKind target, string keyPath,
        SourceLocation location)
    {
        var port = section.OptionalInt("port", 0, 1, 65535);
        if (port == 0)
        {
            throw section.Error(section.Node, $"{keyPath}.port", "is required: the host port the environment answers on");
        }

        SwarmSpec? swarm = null;
        if (target == DeployTargetKind.Swarm)
        {
            swarm = new SwarmSpec(
                section.OptionalString("service") ?? $"layercake-{pipeline}-{name}",
                section.OptionalInt("replicas", 2, 1, 100),
                section.OptionalInt("update_parallelism", 1, 1, 100),
                Duration(section, "update_delay", TimeSpan.FromSeconds(1)),
                Duration(section, "monitor", TimeSpan.FromSeconds(5)),
                section.OptionalEnum("publish_mode", "host", PublishModes));
        }

        return new EnvironmentSpec(
            name,
            target,
            port,
            Memory(section),
            section.OptionalDouble("cpus", 0.01, 1024),
            section.OptionalEnum("restart", "always", RestartPolicies),
            Duration(section, "ready_timeout", TimeSpan.FromSeconds(30)),
            Duration(section, "watch", TimeSpan.FromSeconds(2)),
            Duration(section, "drain_timeout", TimeSpan.FromSeconds(10)),
            swarm,
            location,
            EnvironmentSecretsReader.ReadAuth(section),
            EnvironmentSecretsReader.ReadTls(section))
        {
            Strategy = StrategySpecReader.Read(section, target),
        };
    }

    /// <summary>Durations as Docker and Compose write them: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>.</summary>
    internal static TimeSpan Duration(YamlSection section, string key, TimeSpan fallback)
    {
        if (section.Get(key) is not { } node)
        {
            return fallback;
        }

        var text = section.ScalarText(node, section.KeyPath(key));
        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            throw section.Error(node, section.KeyPath(key), $"expected a duration such as 500ms, 30s, 2m or 1h; found '{text}'");
        }

        var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            _ => TimeSpan.FromHours(amount),
        };
    }

    /// <summary>Memory as Docker's <c>--memory</c> takes it: bytes, or a number with k, m or g.</summary>
    private static long? Memory(YamlSection section)
    {
        if (section.Get("memory") is not { } node)
        {
            return null;
        }

        var text = section.ScalarText(node, section.KeyPath("memory"));
        var match = MemoryPattern().Match(text);
        if (!match.Success)
        {
            throw section.Error(node, section.KeyPath("memory"),
                $"expected an amount of memory such as 256m or 1g (at least 6m, Docker's minimum); found '{text}'");
        }

        var bytes =
            (long)(double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture) * match.Groups["unit"]
            .Value.ToLowerInvariant() switch
        {
            "k" => 1024L,
            "m" => 1024L * 1024,
            "g" => 1024L * 1024 * 1024,
            _ => 1L,
        });
        return bytes >= 6 * 1024 * 1024
            ? bytes
            : throw section.Error(node, section.KeyPath("memory"), $"'{text}' is below Docker's minimum of 6m");
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(?<amount>\d+(?:\.\d+)?)(?<unit>ms|s|m|h)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(?<amount>\d+(?:\.\d+)?)(?<unit>[kmgKMG]?)b?$")]
    private static partial Regex MemoryPattern();
}
