using System.Globalization;
using System.Text.RegularExpressions;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines;

/// <summary>Reads <c>gates:</c>: metric thresholds, the fold-spread ceiling and the champion/challenger limits.</summary>
internal static partial class GateSpecReader
{
    internal static GateSpec ReadGates(YamlSection top, ModelTask task)
    {
        var section = top.OptionalSection("gates", ["metrics", "max_primary_std", "champion"]);
        if (section is null)
        {
            return GateSpec.None;
        }

        var gates = new List<MetricGate>();
        if (section.OptionalSequence("metrics") is { } list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                var node = list.Children[i];
                var keyPath = $"gates.metrics[{i}]";
                var text = section.ScalarText(node, keyPath);
                var match = GatePattern().Match(text);
                if (!match.Success)
                {
                    throw section.Error(node, keyPath, $"expected 'metric >= number' (or <=, >, <); found '{text}'");
                }

                var metric = match.Groups["metric"].Value;
                if (!MetricCatalog.Exists(task, metric))
                {
                    throw section.Error(node, keyPath, $"'{metric}' is not a {PipelineSpecLoader.Lower(task)} metric; expected one of: {string.Join(", ", MetricCatalog.For(task))}");
                }

                var number = match.Groups["value"].Value;
                if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !double.IsFinite(threshold))
                {
                    throw section.Error(node, keyPath, $"expected a finite number after the operator; found '{number}'");
                }

                ComparisonOperators.TryParse(match.Groups["op"].Value, out var op);
                gates.Add(new MetricGate(metric, op, threshold, YamlSection.Locate(node)));
            }
        }

        var champion = section.OptionalSection("champion", ["max_absolute_drop", "max_relative_drop"]) is { } c
            ? new ChampionGate(c.OptionalDouble("max_absolute_drop", 0, double.MaxValue) ?? 0, c.OptionalDouble("max_relative_drop", 0, 1))
            : ChampionGate.Default;
        return new GateSpec(gates, section.OptionalDouble("max_primary_std", 0, double.MaxValue), champion);
    }

    [GeneratedRegex(@"^\s*(?<metric>[a-z0-9_]+)\s*(?<op>>=|<=|>|<)\s*(?<value>\S+)\s*$")]
    private static partial Regex GatePattern();
}
