using System.Text;
using System.Text.Json;

namespace Layercake.Monitoring.Logs.Internal;

/// <summary>
/// Hands out one string per distinct short JSON string value of one field (a model name, a version, a column's
/// categories, the predicted class), so reading millions of log lines does not allocate a string for each. A
/// field has few values, so the last few are compared byte for byte before a dictionary is asked. Bounded: past
/// its capacity it allocates.
/// </summary>
internal sealed class Utf8StringCache(int capacity = 10_000)
{
    private const int MaxCachedBytes = 128;
    private const int Recent = 8;
    private readonly byte[][] _recentBytes = new byte[Recent][];
    private readonly string[] _recentStrings = new string[Recent];
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private int _recentCount;
    private int _next;

    public string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxCachedBytes)
        {
            return reader.GetString()!;
        }

        var bytes = reader.ValueSpan;
        for (var i = 0; i < _recentCount; i++)
        {
            if (bytes.SequenceEqual(_recentBytes[i]))
            {
                return _recentStrings[i];
            }
        }

        Span<char> chars = stackalloc char[MaxCachedBytes];
        var count = Encoding.UTF8.GetChars(bytes, chars);
        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(chars[..count], out var text))
        {
            text = new string(chars[..count]);
            if (_strings.Count < capacity)
            {
                _strings[text] = text;
            }
        }

        // Remember it among the recent values, replacing the oldest.
        _recentBytes[_next] = bytes.ToArray();
        _recentStrings[_next] = text;
        _next = (_next + 1) % Recent;
        _recentCount = Math.Min(_recentCount + 1, Recent);
        return text;
    }
}
