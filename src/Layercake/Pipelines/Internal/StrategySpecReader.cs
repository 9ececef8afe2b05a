using System.Globalization;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Locations;
using Layercake.Pipelines.Strategies;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>Reads an environment's <c>strategy:</c>: a kind alone (<c>strategy: canary</c>) or a mapping with its settings.</summary>
internal static class StrategySpecReader
{
    private static readonly string[] Keys = ["kind", "steps", "interval", "duration", "analysis"];
    private static readonly string[] AnalysisKeys =
        ["max_error_rate", "max_p99_ratio", "max_p99", "prediction_drift", "drift_p_value", "min_requests", "failure_limit", "window",
            "min_agreement", "max_mean_abs_difference"];

    private static readonly string[] ShadowAnalysisKeys = ["min_agreement", "max_mean_abs_difference"];

    private static readonly Dictionary<string, RolloutKind> Kinds = new()
    {
        ["all_at_once"] = RolloutKind.AllAtOnce,
        ["canary"] = RolloutKind.Canary,
        ["shadow"] = RolloutKind.Shadow,
    };

    private static readonly Dictionary<string, bool> Booleans = new() { ["true"] = true, ["false"] = false };
    private static readonly int[] DefaultSteps = [10, 25, 50];

    public static RolloutStrategySpec Read(YamlSection environment, DeployTargetKind target)
    {
        if (environment.Get("strategy") is not { } node)
        {
            return RolloutStrategySpec.AllAtOnce;
        }

        var keyPath = environment.KeyPath("strategy");
        if (node is YamlScalarNode)
        {
            var kind = environment.ParseEnum(node, keyPath, Kinds);
            CheckTarget(environment, node, keyPath, kind, target);
            CheckSecured(environment, node, keyPath, kind);
            return Defaults(kind, YamlSection.Locate(node));
        }

        var section = environment.Section(node, keyPath, Keys);
        var kindNode = section.Get("kind")
            ?? throw section.Error(node, section.KeyPath("kind"), "is required: all_at_once, canary or shadow");
        var read = section.ParseEnum(kindNode, section.KeyPath("kind"), Kinds);
        CheckTarget(environment, kindNode, section.KeyPath("kind"), read, target);
        CheckSecured(environment, kindNode, section.KeyPath("kind"), read);
        OnlyFor(section, "steps", read, RolloutKind.Canary);
        OnlyFor(section, "interval", read, RolloutKind.Canary);
        OnlyFor(section, "duration", read, RolloutKind.Shadow);
        OnlyFor(section, "analysis", read, RolloutKind.Canary, RolloutKind.Shadow);
        var defaults = Defaults(read, section.Location);
        var strategy = defaults with
        {
            Steps = read == RolloutKind.Canary ? Steps(section) ?? defaults.Steps : [],
            Interval = EnvironmentSpecReader.Duration(section, "interval", defaults.Interval),
            Duration = EnvironmentSpecReader.Duration(section, "duration", defaults.Duration),
            Analysis = Analysis(section, read),
        };
        CheckWindow(section, strategy);
        return strategy;
    }

    private static RolloutStrategySpec Defaults(RolloutKind kind, SourceLocation location) => kind switch
    {
        RolloutKind.Canary => new(kind, DefaultSteps, TimeSpan.FromMinutes(1), TimeSpan.Zero, RolloutAnalysisSpec.Default, location),
        RolloutKind.Shadow => new(kind, [], TimeSpan.Zero, TimeSpan.FromMinutes(5), RolloutAnalysisSpec.Default, location),
        _ => RolloutStrategySpec.AllAtOnce with { Location = location },
    };

    /// <summary>
    /// A rollout's proxy and private versions carry no tokens and no TLS: an environment that requires either would
    /// answer anyone, in clear, while a canary or shadow ran. Refused until they do, rather than opened for a while.
    /// </summary>
    private static void CheckSecured(YamlSection environment, YamlNode node, string keyPath, RolloutKind kind)
    {
        if (kind == RolloutKind.AllAtOnce || (environment.Get("auth") is null && environment.Get("tls") is null))
        {
            return;
        }

        var secured = environment.Get("auth") is not null ? "auth" : "tls";
        throw environment.Error(node, keyPath,
            $"{kind.ToString().ToLowerInvariant()} cannot serve an environment with {secured}: a rollout's proxy and private versions " +
            "carry no tokens or TLS yet, so the environment would answer anyone while it ran; use all_at_once here");
    }

    /// <summary>
    /// On the swarm target a canary's proxy is a service on the host network of the build's node, joining the port beside
    /// the replicas; Swarm's routing mesh holds an ingress port itself, so a canary needs <c>publish_mode: host</c>.
    /// nginx's mirror (shadow) runs on one Docker engine only.
    /// </summary>
    private static void CheckTarget(YamlSection environment, YamlNode node, string keyPath, RolloutKind kind, DeployTargetKind target)
    {
        if (target != DeployTargetKind.Swarm || kind == RolloutKind.AllAtOnce)
        {
            return;
        }

        if (kind == RolloutKind.Shadow)
        {
            throw environment.Error(node, keyPath,
                "shadow needs the docker target: the proxy that would mirror requests runs on one Docker engine, and a swarm " +
                    "environment has none (use all_at_once or canary)");
        }

        if (environment.Get("publish_mode") is YamlScalarNode { Value: "ingress" })
        {
            throw environment.Error(node, keyPath,
                "canary on the swarm target needs publish_mode: host: its proxy joins the port on the host network beside the " +
                    "replicas, and with ingress Swarm's routing mesh holds that port itself");
        }
    }

    private static void OnlyFor(YamlSection section, string key, RolloutKind kind, params RolloutKind[] kinds)
    {
        if (section.Get(key) is { } node && !kinds.Contains(kind))
        {
            var names = string.Join(" or ", kinds.Select(k => Kinds.First(p => p.Value == k).Key));
            throw section.Error(node, section.KeyPath(key), $"applies to {names} only, not to {Kinds.First(p => p.Value == kind).Key}");
        }
    }

    private static int[]? Steps(YamlSection section)
    {
        if (section.OptionalSequence("steps") is not { } sequence)
        {
            return null;
        }

        var keyPath = section.KeyPath("steps");
        if (sequence.Children.Count == 0)
        {
            throw section.Error(sequence, keyPath,
                "expected at least one step: the percent of requests for the new version, e.g. [10, 25, 50]");
        }

        var steps = new List<int>();
        foreach (var item in sequence.Children)
        {
            var text = section.ScalarText(item, keyPath);
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var weight) || weight < 1 || weight > 100)
            {
                throw section.Error(item, keyPath, $"expected a whole percent from 1 to 100, found '{text}'");
            }

            if (steps.Count > 0 && weight <= steps[^1])
            {
                throw section.Error(item, keyPath, $"steps must increase: {weight} follows {steps[^1]}");
            }

            steps.Add(weight);
        }

        return [.. steps];
    }

    private static RolloutAnalysisSpec Analysis(YamlSection strategy, RolloutKind kind)
    {
        var defaults = RolloutAnalysisSpec.Default;
        if (strategy.OptionalSection("analysis", AnalysisKeys) is not { } section)
        {
            return defaults;
        }

        foreach (var key in ShadowAnalysisKeys)
        {
            // A canary's two versions answer different requests: there is no agreement on the same ones to hold to a limit.
            OnlyFor(section, key, kind, RolloutKind.Shadow);
        }

        TimeSpan? Optional(string key) => section.Has(key) ? EnvironmentSpecReader.Duration(section, key, TimeSpan.Zero) : null;
        return new RolloutAnalysisSpec(
            section.OptionalDouble("max_error_rate", 0, 1) ?? defaults.MaxErrorRate,
            section.OptionalDouble("max_p99_ratio", 1, 1000) ?? defaults.MaxP99Ratio,
            Optional("max_p99"),
            section.OptionalEnum("prediction_drift", defaults.PredictionDrift, Booleans),
            section.OptionalDouble("drift_p_value", 0, 1) ?? defaults.DriftPValue,
            section.OptionalInt("min_requests", defaults.MinRequests, 1, 1_000_000),
            section.OptionalInt("failure_limit", defaults.FailureLimit, 1, 100),
            Optional("window"))
        {
            MinAgreement = section.OptionalDouble("min_agreement", 0, 1),
            MaxMeanAbsoluteDifference = section.OptionalDouble("max_mean_abs_difference", 0, 1e12),
        };
    }

    /// <summary>Each step's checks read the step's last window, so a window longer than the step cannot be filled.</summary>
    private static void CheckWindow(YamlSection section, RolloutStrategySpec strategy)
    {
        var span = strategy.Kind == RolloutKind.Shadow ? strategy.Duration : strategy.Interval;
        var key = strategy.Kind == RolloutKind.Shadow ? "duration" : "interval";
        if (span < TimeSpan.FromSeconds(1))
        {
            throw section.Error(section.Get(key) ?? section.Node, section.KeyPath(key),
                $"expected at least 1s, found {span.TotalSeconds:0.###}s");
        }

        if (strategy.Analysis.Window is { } window && window > span)
        {
            var node = section.Get(key) ?? section.Node;
            throw section.Error(node, section.KeyPath(key),
                $"{key} {Text(span)} is shorter than the analysis window {Text(window)}: each check reads the last window of its " +
                    $"{(key == "interval" ? "step" : "run")}");
        }
    }

    private static string Text(TimeSpan span) =>
        span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
