using System.Globalization;
using Layercake.Pipelines.Naming;
using Layercake.Pipelines.Locations;
using YamlDotNet.RepresentationModel;

namespace Layercake.Pipelines.Internal;

/// <summary>
/// Typed, located reads from one YAML mapping. Every read that fails throws a
/// <see cref="PipelineSpecException"/> naming the file, line, column and key path.
/// </summary>
internal sealed class YamlSection
{
    private readonly string _file;
    private readonly string _path;
    private readonly YamlMappingNode _node;

    public YamlSection(string file, string path, YamlMappingNode node, IReadOnlyCollection<string> allowedKeys)
    {
        _file = file;
        _path = path;
        _node = node;
        foreach (var key in node.Children.Keys)
        {
            var name = ScalarText(key, path);
            if (!allowedKeys.Contains(name))
            {
                throw Error(key, Join(path, name), UnknownKey(name, allowedKeys));
            }
        }
    }

    public YamlMappingNode Node => _node;

    /// <summary>A near miss names the one key meant; only an unrecognisable key lists them all.</summary>
    private static string UnknownKey(string name, IReadOnlyCollection<string> allowedKeys) =>
        NearestName.Closest(name, allowedKeys) is { } meant
            ? $"unknown key; did you mean '{meant}'?"
            : $"unknown key; expected one of: {string.Join(", ", allowedKeys)}";

    public string File => _file;

    public SourceLocation Location => Locate(_node);

    public static SourceLocation Locate(YamlNode node) => new((int)node.Start.Line, (int)node.Start.Column);

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public PipelineSpecException Error(YamlNode node, string keyPath, string problem) =>
        new(_file, Locate(node), keyPath, problem);

    public bool Has(string key) => _node.Children.ContainsKey(new YamlScalarNode(key));

    public YamlNode? Get(string key) => _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public string KeyPath(string key) => Join(_path, key);

    public string RequireString(string key)
    {
        var node = Get(key) ?? throw new PipelineSpecException(_file, Location, KeyPath(key), "is required");
        return ScalarText(node, KeyPath(key));
    }

    public string? OptionalString(string key) => Get(key) is { } node ? ScalarText(node, KeyPath(key)) : null;

    public int OptionalInt(string key, int fallback, int minimum, int maximum)
    {
        if (Get(key) is not { } node)
        {
            return fallback;
        }

        var text = ScalarText(node, KeyPath(key));
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(node, KeyPath(key), $"expected a whole number, found '{text}'");
        }

        if (value < minimum || value > maximum)
        {
            throw Error(node, KeyPath(key), $"expected a whole number from {minimum} to {maximum}, found {value}");
        }

        return value;
    }

    public double? OptionalDouble(string key, double minimum, double maximum)
    {
        if (Get(key) is not { } node)
        {
            return null;
        }

        return ParseDouble(node, KeyPath(key), minimum, maximum);
    }

    public double ParseDouble(YamlNode node, string keyPath, double minimum, double maximum)
    {
        var text = ScalarText(node, keyPath);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(node, keyPath, $"expected a finite number, found '{text}'");
        }

        if (value < minimum || value > maximum)
        {
            throw Error(node, keyPath,
                $"expected a number from {minimum.ToString(CultureInfo.InvariantCulture)} to " +
                $"{maximum.ToString(CultureInfo.InvariantCulture)}, found {text}");
        }

        return value;
    }

    public T OptionalEnum<T>(string key, T fallback, IReadOnlyDictionary<string, T> names)
    {
        if (Get(key) is not { } node)
        {
            return fallback;
        }

        return ParseEnum(node, KeyPath(key), names);
    }

    public T ParseEnum<T>(YamlNode node, string keyPath, IReadOnlyDictionary<string, T> names)
    {
        var text = ScalarText(node, keyPath);
        return names.TryGetValue(text, out var value)
            ? value
            : throw Error(node, keyPath, $"expected one of: {string.Join(", ", names.Keys)}; found '{text}'{DidYouMean(text, names.Keys)}");
    }

    private static string DidYouMean(string text, IEnumerable<string> names) =>
        NearestName.Closest(text, names) is { } meant ? $"; did you mean '{meant}'?" : "";

    public YamlSection? OptionalSection(string key, IReadOnlyCollection<string> allowedKeys)
    {
        if (Get(key) is not { } node)
        {
            return null;
        }

        return node is YamlMappingNode mapping
            ? new YamlSection(_file, KeyPath(key), mapping, allowedKeys)
            : throw Error(node, KeyPath(key), "expected a mapping of keys to values");
    }

    public YamlSection Section(YamlNode node, string keyPath, IReadOnlyCollection<string> allowedKeys) =>
        node is YamlMappingNode mapping
            ? new YamlSection(_file, keyPath, mapping, allowedKeys)
            : throw Error(node, keyPath, "expected a mapping of keys to values");

    public YamlSequenceNode? OptionalSequence(string key)
    {
        if (Get(key) is not { } node)
        {
            return null;
        }

        return node as YamlSequenceNode ?? throw Error(node, KeyPath(key), "expected a list");
    }

    public string ScalarText(YamlNode node, string keyPath) => node switch
    {
        YamlScalarNode { Value: { } value } => value,
        YamlScalarNode => throw Error(node, keyPath, "expected a value, found nothing"),
        YamlSequenceNode => throw Error(node, keyPath, "expected a single value, found a list"),
        YamlMappingNode => throw Error(node, keyPath, "expected a single value, found a mapping"),
        _ => throw Error(node, keyPath, "expected a single value"),
    };
}
