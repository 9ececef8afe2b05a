using Layercake.Pipelines.Data;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>Reads the keys that steer Prepare's checks on the data: <c>rare_classes:</c> and <c>warnings:</c>.</summary>
internal static class DataCheckSpecReader
{
    private static readonly Dictionary<string, bool> Booleans = new() { ["true"] = true, ["false"] = false };

    private static readonly Dictionary<string, RareClassAction> Actions = new()
    {
        ["error"] = RareClassAction.Error, ["drop"] = RareClassAction.Drop,
    };

    internal static RareClassPolicy ReadRareClasses(YamlSection top, ModelTask task)
    {
        if (top.Get("rare_classes") is not { } node)
        {
            return RareClassPolicy.Default;
        }

        if (task == ModelTask.Regression)
        {
            throw top.Error(node, "rare_classes", "applies only to task: binary or multiclass; regression has no classes");
        }

        var at = YamlSection.Locate(node);
        if (node is YamlScalarNode)
        {
            var text = top.ScalarText(node, "rare_classes");
            return Actions.TryGetValue(text, out var action)
                ? new RareClassPolicy(action, null, at)
                : throw top.Error(node, "rare_classes", $"expected error, drop or a mapping {{ merge_into: <class> }}; found '{text}'");
        }

        var section = top.Section(node, "rare_classes", ["merge_into"]);
        var into = section.RequireString("merge_into").Trim();
        return into.Length > 0
            ? new RareClassPolicy(RareClassAction.Merge, into, at)
            : throw section.Error(section.Get("merge_into")!, "rare_classes.merge_into",
                "expected the name of the class to merge rare classes into");
    }

    internal static DataWarningSpec ReadWarnings(YamlSection top)
    {
        if (top.OptionalSection("warnings", ["max_categories", "as_errors"]) is not { } section)
        {
            return DataWarningSpec.Default;
        }

        var maxCategories = section.OptionalInt("max_categories", DataWarningSpec.DefaultMaxCategories, 2, 1_000_000);
        var asErrors = section.OptionalEnum("as_errors", false, Booleans);
        return new DataWarningSpec(maxCategories, asErrors);
    }
}
