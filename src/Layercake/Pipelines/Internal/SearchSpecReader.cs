using System.Globalization;
using Layercake.Pipelines.Trainers;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>
/// Reads the top-level <c>search:</c> (strategy and budget) and each trainer's <c>search:</c> space, checked
/// against the trainer catalog, so a bad space fails at load time, before any data is read.
/// </summary>
internal static class SearchSpecReader
{
    private static readonly Dictionary<string, SearchStrategy> Strategies = new()
    {
        ["random"] = SearchStrategy.Random, ["grid"] = SearchStrategy.Grid, ["halving"] = SearchStrategy.Halving,
    };

    private static readonly Dictionary<string, bool> Booleans = new() { ["true"] = true, ["false"] = false };

    public static SearchSettings ReadSettings(YamlSection top)
    {
        var section = top.OptionalSection("search", ["strategy", "trials", "max_minutes", "seed"]);
        if (section is null)
        {
            return SearchSettings.Default;
        }

        return new SearchSettings(
            section.OptionalEnum("strategy", SearchStrategy.Random, Strategies),
            section.Has("trials") ? section.OptionalInt("trials", 0, 1, 100000) : null,
            section.OptionalDouble("max_minutes", 0.001, 1e6),
            section.Has("seed") ? section.OptionalInt("seed", 0, 0, int.MaxValue) : null);
    }

    public static IReadOnlyList<SearchDimension> ReadSpace(
        YamlSection item, TrainerKind kind, string keyPath, SearchStrategy strategy, IReadOnlyDictionary<string, double> fixedParameters)
    {
        if (item.Get("search") is not { } node)
        {
            return [];
        }

        var path = $"{keyPath}.search";
        var allowed = TrainerCatalog.ParametersOf(kind);
        if (node is not YamlMappingNode mapping)
        {
            throw item.Error(node, path, "expected a mapping of parameter names to a list of choices or a range { min, max }");
        }

        foreach (var key in mapping.Children.Keys)
        {
            var name = item.ScalarText(key, path);
            if (allowed.All(p => p.Name != name))
            {
                throw item.Error(key, $"{path}.{name}",
                    $"is not a parameter of {TrainerCatalog.Name(kind)}; expected one of: " +
                    $"{string.Join(", ", allowed.Select(p => p.Name))}");
            }
        }

        if (mapping.Children.Count == 0)
        {
            throw item.Error(node, path, "names no parameter to search; remove it or add one");
        }

        var section = item.Section(node, path, allowed.Select(p => p.Name).ToArray());
        var dimensions = new List<SearchDimension>();
        foreach (var parameter in allowed)
        {
            if (section.Get(parameter.Name) is not { } value)
            {
                continue;
            }

            var at = $"{path}.{parameter.Name}";
            if (fixedParameters.ContainsKey(parameter.Name))
            {
                throw section.Error(value, at, $"is also fixed under {keyPath}.params; fix it or search it, not both");
            }

            dimensions.Add(value switch
            {
                YamlSequenceNode choices => Choices(section, choices, at, parameter),
                YamlMappingNode range => Range(section, range, at, parameter, strategy),
                _ => throw section.Error(value, at,
                    "expected a list of choices such as [8, 16, 32] or a range such as { min: 0.01, max: 0.3 }; a single value belongs " +
                    "under params"),
            });
        }

        return dimensions;
    }

    private static SearchDimension Choices(YamlSection section, YamlSequenceNode list, string at, TrainerCatalog.Parameter parameter)
    {
        if (list.Children.Count == 0)
        {
            throw section.Error(list, at, "lists no choices; give at least one value");
        }

        var values = new List<double>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var child = list.Children[i];
            var value = Number(section, child, $"{at}[{i}]", parameter);
            if (values.Contains(value))
            {
                throw section.Error(child, $"{at}[{i}]", $"{Text(value)} is already a choice");
            }

            values.Add(value);
        }

        return new SearchDimension(parameter.Name, parameter.IsInteger, values, values.Min(), values.Max(), false, null);
    }

    private static SearchDimension Range(YamlSection section, YamlMappingNode node, string at, TrainerCatalog.Parameter parameter,
        SearchStrategy strategy)
    {
        var range = section.Section(node, at, ["min", "max", "log", "step"]);
        var minNode = range.Get("min") ?? throw range.Error(node, $"{at}.min", "is required in a range");
        var maxNode = range.Get("max") ?? throw range.Error(node, $"{at}.max", "is required in a range");
        var log = range.OptionalEnum("log", false, Booleans);
        var min = range.ParseDouble(minNode, $"{at}.min", double.MinValue, double.MaxValue);
        if (log && min <= 0)
        {
            throw range.Error(range.Get("log")!, $"{at}.log",
                $"log: true needs a range above 0, but min is {Text(min)}; raise min or drop log");
        }

        min = Number(range, minNode, $"{at}.min", parameter);
        var max = Number(range, maxNode, $"{at}.max", parameter);
        if (min > max)
        {
            throw range.Error(minNode, $"{at}.min", $"min {Text(min)} is above max {Text(max)}");
        }

        double? step = null;
        if (range.Get("step") is { } stepNode)
        {
            if (log)
            {
                throw range.Error(stepNode, $"{at}.step", "cannot be combined with log: true; list the values as choices instead");
            }

            step = range.ParseDouble(stepNode, $"{at}.step", double.Epsilon, double.MaxValue);
            if (parameter.IsInteger && step != Math.Floor(step.Value))
            {
                throw range.Error(stepNode, $"{at}.step",
                    $"{parameter.Name} takes whole numbers, so its step must be one; found {Text(step.Value)}");
            }
        }
        else if (strategy == SearchStrategy.Grid)
        {
            throw range.Error(node, at,
                "strategy grid needs a step in every range (such as { min: 2, max: 50, step: 8 }) or a list of choices");
        }

        return new SearchDimension(parameter.Name, parameter.IsInteger, null, min, max, log, step);
    }

    private static double Number(YamlSection section, YamlNode node, string at, TrainerCatalog.Parameter parameter)
    {
        var text = section.ScalarText(node, at);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw section.Error(node, at, $"expected a number for {parameter.Name}, found '{text}'");
        }

        if (parameter.IsInteger && value != Math.Floor(value))
        {
            throw section.Error(node, at, $"{parameter.Name} takes whole numbers; found {text}");
        }

        return section.ParseDouble(node, at, parameter.Minimum, parameter.Maximum);
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
