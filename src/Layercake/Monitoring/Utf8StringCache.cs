using System.Text;
using System.Text.Json;

namespace Layercake.Monitoring;

/// <summary>
/// Hands out one string per distinct short JSON string value (model names, versions, categories, labels), so
/// reading millions of log lines does not allocate a string for each. Bounded: past its capacity it allocates.
/// </summary>
internal sealed class Utf8StringCache(int capacity = 50_000)
{
    private const int MaxCachedBytes = 128;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    public string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxCachedBytes)
        {
            return reader.GetString()!;
        }

        Span<char> chars = stackalloc char[MaxCachedBytes];
        var count = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..count], out var cached))
        {
            return cached;
        }

        var text = new string(chars[..count]);
        if (_strings.Count < capacity)
        {
            _strings[text] = text;
        }

        return text;
    }
}
