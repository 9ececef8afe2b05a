using System.Text;
using System.Text.Json;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Runtime.Preprocessing;

/// <summary>
/// The columns a caller sends, in a fixed order, and which of them hold numbers: the shape of every
/// <see cref="RawColumns"/>. Built once per model, so a request finds a column by index, and its name by UTF-8
/// comparison, without a lookup or an allocation per value.
/// </summary>
public sealed class RawColumnLayout
{
    private readonly Dictionary<string, int> _indexes;

    public RawColumnLayout(IReadOnlyList<string> names, IReadOnlyList<bool> numeric)
    {
        if (names.Count != numeric.Count)
        {
            throw new ArgumentException($"{names.Count} names for {numeric.Count} numeric flags.", nameof(numeric));
        }

        Names = [.. names];
        Numeric = [.. numeric];
        Utf8Names = Names.Select(n => Encoding.UTF8.GetBytes(n)).ToArray();
        EncodedNames = Names.Select(n => JsonEncodedText.Encode(n)).ToArray();
        _indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Names.Length; i++)
        {
            if (!_indexes.TryAdd(Names[i], i))
            {
                throw new ArgumentException($"Column '{Names[i]}' appears twice.", nameof(names));
            }
        }
    }

    /// <summary>The columns the preprocessing reads: every feature it does not ignore; numeric ones hold numbers.</summary>
    public static RawColumnLayout For(PreprocessingSpec spec)
    {
        var features = spec.Features.Where(f => f.Kind != Manifest.Signature.FeatureKind.Ignore).ToArray();
        return new RawColumnLayout(features.Select(f => f.Column).ToArray(),
            features.Select(f => f.Kind == Manifest.Signature.FeatureKind.Numeric).ToArray());
    }

    public string[] Names { get; }

    public bool[] Numeric { get; }

    /// <summary>Each name in UTF-8, to match a JSON property without decoding it.</summary>
    public byte[][] Utf8Names { get; }

    /// <summary>Each name escaped once for writing.</summary>
    public JsonEncodedText[] EncodedNames { get; }

    public int Count => Names.Length;

    /// <summary>The column's index, or -1.</summary>
    public int IndexOf(string name) => _indexes.GetValueOrDefault(name, -1);
}
