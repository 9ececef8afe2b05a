using Layercake.Pipelines.Features;
using Layercake.Pipelines.Locations;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>Reads <c>features:</c>: each column's declared kind, with a date's options or a categorical's encoding.</summary>
internal static class FeatureSpecReader
{
    private static readonly Dictionary<string, FeatureKind> Kinds = new()
    {
        ["numeric"] = FeatureKind.Numeric, ["categorical"] = FeatureKind.Categorical,
        ["text"] = FeatureKind.Text, ["ignore"] = FeatureKind.Ignore, ["date"] = FeatureKind.Date,
    };

    private static readonly Dictionary<string, CategoryEncodingChoice> Encodings = new()
    {
        ["one_hot"] = CategoryEncodingChoice.OneHot, ["top_k"] = CategoryEncodingChoice.TopK, ["hash"] = CategoryEncodingChoice.Hash,
        // The spelling without the underscore is common enough (scikit-learn's OneHotEncoder) to be taken as meant.
        ["onehot"] = CategoryEncodingChoice.OneHot,
    };

    private static readonly string[] DateKeys = ["format", "parts", "cyclical"];
    private static readonly string[] CategoricalKeys = ["encoding", "max_categories", "buckets"];

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

            declared.Add(value is YamlMappingNode
                ? ReadMapping(top, value, column, keyPath, YamlSection.Locate(key))
                : new FeatureDeclaration(column, top.ParseEnum(value, keyPath, Kinds), YamlSection.Locate(key)));
        }

        return declared;
    }

    /// <summary>The mapping form: <c>{ kind: date, parts: [...] }</c> or <c>{ kind: categorical, encoding: top_k }</c>.</summary>
    private static FeatureDeclaration ReadMapping(YamlSection top, YamlNode value, string column, string keyPath, SourceLocation at)
    {
        var item = top.Section(value, keyPath, ["kind", .. DateKeys, .. CategoricalKeys]);
        var kindNode = item.Get("kind") ?? throw item.Error(value, $"{keyPath}.kind", "is required in the mapping form");
        var kind = item.ParseEnum(kindNode, $"{keyPath}.kind", Kinds);
        RejectKeys(item, keyPath, kind, FeatureKind.Date, DateKeys, "date");
        RejectKeys(item, keyPath, kind, FeatureKind.Categorical, CategoricalKeys, "categorical");
        return kind switch
        {
            FeatureKind.Date => new FeatureDeclaration(column, kind, at, Date: DateOptionsReader.Read(item, keyPath)),
            FeatureKind.Categorical => new FeatureDeclaration(column, kind, at, Encoding: ReadEncoding(item, keyPath)),
            _ => new FeatureDeclaration(column, kind, at),
        };
    }

    private static void RejectKeys(YamlSection item, string keyPath, FeatureKind kind, FeatureKind owner, string[] keys, string ownerName)
    {
        if (kind == owner)
        {
            return;
        }

        foreach (var key in keys.Where(item.Has))
        {
            throw item.Error(item.Get(key)!, $"{keyPath}.{key}",
                $"applies only to kind: {ownerName}; this column is {kind.ToString().ToLowerInvariant()}");
        }
    }

    private static CategoryEncodingSpec? ReadEncoding(YamlSection item, string keyPath)
    {
        if (!CategoricalKeys.Any(item.Has))
        {
            return null;
        }

        var choice = item.Get("encoding") is { } node ? item.ParseEnum(node, $"{keyPath}.encoding", Encodings)
            : (CategoryEncodingChoice?)null;
        if (item.Get("buckets") is { } buckets && choice != CategoryEncodingChoice.Hash)
        {
            throw item.Error(buckets, $"{keyPath}.buckets", "applies only to encoding: hash");
        }

        if (item.Get("max_categories") is { } max && choice is CategoryEncodingChoice.Hash or CategoryEncodingChoice.OneHot)
        {
            throw item.Error(max, $"{keyPath}.max_categories",
                "applies only to encoding: top_k (or to no encoding, where it sets the width past which the column is bounded)");
        }

        var maxCategories = item.Has("max_categories") ? item.OptionalInt("max_categories", 0, 1, 1_000_000) : (int?)null;
        var bucketCount = item.Has("buckets") ? item.OptionalInt("buckets", 0, 2, 1_000_000) : (int?)null;
        return new CategoryEncodingSpec(choice, maxCategories, bucketCount);
    }
}
