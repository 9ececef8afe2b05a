using System.Globalization;
using System.Text.RegularExpressions;
using Layercake.Pipelines.Features;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>Reads <c>engineering:</c>: scaling and derived columns.</summary>
internal static partial class EngineeringSpecReader
{
    private static readonly Dictionary<string, NumericScaling> Scalings = new()
    {
        ["min_max"] = NumericScaling.MinMax, ["mean_variance"] = NumericScaling.MeanVariance, ["none"] = NumericScaling.None,
    };

    private static readonly Dictionary<string, DerivedOperation> Operations = new()
    {
        ["ratio"] = DerivedOperation.Ratio, ["product"] = DerivedOperation.Product,
        ["difference"] = DerivedOperation.Difference, ["sum"] = DerivedOperation.Sum, ["log"] = DerivedOperation.Log,
    };

    internal static EngineeringSpec ReadEngineering(YamlSection top)
    {
        var section = top.OptionalSection("engineering", ["numeric", "categorical", "text", "derived", "max_categories"]);
        if (section is null)
        {
            return EngineeringSpec.Default;
        }

        // Categoricals are always one-hot and text always featurised: the keys exist so a pipeline can say so.
        section.OptionalEnum("categorical", "one_hot", new Dictionary<string, string> { ["one_hot"] = "one_hot" });
        section.OptionalEnum("text", "featurize", new Dictionary<string, string> { ["featurize"] = "featurize" });

        var derived = new List<DerivedSpec>();
        if (section.OptionalSequence("derived") is { } list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                var keyPath = $"engineering.derived[{i}]";
                var item = section.Section(list.Children[i], keyPath, ["name", "op", "columns"]);
                var name = item.RequireString("name");
                var op =
                    item.ParseEnum(item.Get("op") ?? throw item.Error(item.Node, $"{keyPath}.op", "is required"), $"{keyPath}.op",
                    Operations);
                var columnsNode = item.Get("columns") as YamlSequenceNode
                    ?? throw item.Error(item.Get("columns") ?? item.Node, $"{keyPath}.columns", "expected a list of column names");
                var columns = columnsNode.Children.Select(c => item.ScalarText(c, $"{keyPath}.columns")).ToArray();
                var (min, max) = op switch
                {
                    DerivedOperation.Log => (1, 1),
                    DerivedOperation.Sum => (2, 16),
                    _ => (2, 2),
                };
                if (columns.Length < min || columns.Length > max)
                {
                    var expected = min == max ? $"{min}" : $"{min} to {max}";
                    throw item.Error(columnsNode, $"{keyPath}.columns",
                        $"'{PipelineSpecLoader.Lower(op)}' takes {expected} column(s), found {columns.Length}");
                }

                if (derived.Any(d => d.Name == name))
                {
                    throw item.Error(item.Get("name")!, $"{keyPath}.name", $"'{name}' is already the name of another derived column");
                }

                derived.Add(new DerivedSpec(name, op, columns, item.Location));
            }
        }

        return new EngineeringSpec(
            section.OptionalEnum("numeric", NumericScaling.MinMax, Scalings),
            derived,
            section.OptionalInt("max_categories", EngineeringSpec.DefaultMaxCategories, 2, 1_000_000));
    }
}
