using System.Globalization;
using Layercake.Pipelines.Gates;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>
/// Reads <c>gates:</c>: metric thresholds, the baseline gate, the fold-spread ceiling and the champion/challenger
/// limits. The baseline gate is always resolved here (on by default), so no later stage sees it unset.
/// </summary>
internal static class GateSpecReader
{
    private static readonly string[] Off = ["off", "false"];
    private static readonly string[] On = ["on", "true"];
    private static readonly Dictionary<string, bool> Booleans = new() { ["true"] = true, ["false"] = false };

    internal static GateSpec ReadGates(YamlSection top, ModelTask task, string primaryMetric)
    {
        var section = top.OptionalSection("gates", ["metrics", "baseline", "max_primary_std", "champion"]);
        if (section is null)
        {
            return GateSpec.None with { Baseline = BaselineGate.DefaultFor(primaryMetric) };
        }

        var gates = new List<MetricGate>();
        if (section.OptionalSequence("metrics") is { } list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                gates.Add(MetricGateReader.Read(section, list.Children[i], $"gates.metrics[{i}]", task));
            }
        }

        var champion = section.OptionalSection("champion", ["max_absolute_drop", "max_relative_drop"]) is { } c
            ? new ChampionGate(c.OptionalDouble("max_absolute_drop", 0, double.MaxValue) ?? 0, c.OptionalDouble("max_relative_drop", 0, 1))
            : ChampionGate.Default;
        return new GateSpec(gates, section.OptionalDouble("max_primary_std", 0, double.MaxValue), champion)
        {
            Baseline = ReadBaseline(section, primaryMetric),
        };
    }

    /// <summary>
    /// <c>baseline: off</c> (or <c>false</c>) turns the gate off; a mapping sets its margin and whether the margin is
    /// relative; absent, the default for the primary metric.
    /// </summary>
    private static BaselineGate ReadBaseline(YamlSection gates, string primaryMetric)
    {
        var fallback = BaselineGate.DefaultFor(primaryMetric);
        const string keyPath = "gates.baseline";
        switch (gates.Get("baseline"))
        {
            case null:
                return fallback;
            case YamlScalarNode scalar:
                var text = gates.ScalarText(scalar, keyPath).Trim().ToLowerInvariant();
                return Off.Contains(text) ? BaselineGate.Off
                    : On.Contains(text) ? fallback
                    : throw gates.Error(scalar, keyPath,
                        $"expected 'off' (or false) to turn the baseline gate off, or a mapping {{ margin: 0.01, relative: false }}; " +
                        $"found '{text}'");
        }

        var section = gates.Section(gates.Get("baseline")!, keyPath, ["margin", "relative"]);
        var relative = section.Get("relative") is { } relativeNode
            ? section.ParseEnum(relativeNode, section.KeyPath("relative"), Booleans)
            : fallback.Relative;
        var margin = fallback.Margin;
        if (section.Get("margin") is { } marginNode)
        {
            // A relative margin of 1 or more asks an error metric to reach zero or below, and an absolute one of 1 or
            // more asks a bounded metric to exceed its range: neither can ever pass.
            var bounded = relative || !MetricCatalog.IsUnbounded(primaryMetric);
            margin = section.ParseDouble(marginNode, section.KeyPath("margin"), 0, double.MaxValue);
            if (bounded && margin >= 1)
            {
                var what = relative ? "a fraction of the baseline's value"
                    : $"in units of '{primaryMetric}', which takes values {RangeText(primaryMetric)}";
                throw section.Error(marginNode, section.KeyPath("margin"),
                    $"expected a number from 0 to below 1 ({what}); found {margin.ToString(CultureInfo.InvariantCulture)}, which no " +
                    $"model could beat the baseline by");
            }
        }

        return new BaselineGate(true, margin, relative);
    }

    private static string RangeText(string metric)
    {
        var (min, max) = MetricCatalog.Range(metric);
        return double.IsNegativeInfinity(min) ? $"up to {max.ToString(CultureInfo.InvariantCulture)}"
            : $"from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
    }
}
