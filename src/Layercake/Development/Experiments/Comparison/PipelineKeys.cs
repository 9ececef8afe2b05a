using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Layercake.Development.Experiments.Comparison;

/// <summary>
/// A pipeline's YAML flattened to <c>key.path = value</c>, so two snapshots can be compared key by key as DVC's
/// <c>params diff</c> does. A list of mappings with a <c>name</c> (trainers, environments) is keyed by that name,
/// so reordering the list is no change.
/// </summary>
internal static class PipelineKeys
{
    public static IReadOnlyDictionary<string, string> Flatten(string yaml)
    {
        var keys = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count > 0)
        {
            Walk(stream.Documents[0].RootNode, "", keys);
        }

        return keys;
    }

    public static IReadOnlyList<(string Key, string? Old, string? New)> Diff(string oldYaml, string newYaml)
    {
        var (a, b) = (Flatten(oldYaml), Flatten(newYaml));
        return a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Select(k => (k, a.GetValueOrDefault(k), b.GetValueOrDefault(k)))
            .Where(c => c.Item2 != c.Item3)
            .ToArray();
    }

    private static void Walk(YamlNode node, string path, IDictionary<string, string> keys)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    Walk(value, path.Length == 0 ? Scalar(key) : $"{path}.{Scalar(key)}", keys);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var item = sequence.Children[i];
                    var name = item is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("name"), out var n)
                        && n is YamlScalarNode s ? s.Value : null;
                    Walk(item, name is null ? $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]" : $"{path}[{name}]", keys);
                }

                if (sequence.Children.Count == 0)
                {
                    keys[path] = "[]";
                }

                break;
            default:
                keys[path] = Scalar(node);
                break;
        }
    }

    private static string Scalar(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value ?? "" : node.ToString();
}
