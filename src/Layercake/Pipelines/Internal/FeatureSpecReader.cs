using System.Globalization;
using System.Text.RegularExpressions;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Preprocessing;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>Reads <c>features:</c>: each column's declared kind.</summary>
internal static partial class FeatureSpecReader
{
    private static readonly Dictionary<string, FeatureKind> Kinds = new()
    {
        ["numeric"] = FeatureKind.Numeric, ["categorical"] = FeatureKind.Categorical,
        ["text"] = FeatureKind.Text, ["ignore"] = FeatureKind.Ignore,
    };

    internal static List<FeatureDeclaration> ReadFeatures(YamlSection top, string label)
    {
        var declared = new List<FeatureDeclaration>();
        if (top.Get("features") is not { } node)
        {
            return declared;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value == "infer"
                ? declared
                : throw top.Error(node, "features", $"expected 'infer' or a mapping of column names to kinds; found '{scalar.Value}'");
        }

        if (node is not YamlMappingNode mapping)
        {
            throw top.Error(node, "features", "expected 'infer' or a mapping of column names to kinds");
        }

        foreach (var (key, value) in mapping.Children)
        {
            var column = top.ScalarText(key, "features");
            var keyPath = $"features.{column}";
            if (column == label)
            {
                throw top.Error(key, keyPath, "is the label column; the label is not a feature");
            }

            declared.Add(new FeatureDeclaration(column, top.ParseEnum(value, keyPath, Kinds), YamlSection.Locate(key)));
        }

        return declared;
    }
}
