using System.Text.Json;

namespace Layercake.Serving.Protocols.Json;

/// <summary>
/// Which of a few known properties an object has, read once, forward, with what a parsed document's
/// <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> would have answered: the last of repeated names
/// wins, and the lookup fails (<see cref="InvalidOperationException"/>, a 400 naming no field) when, after the
/// last match, a name with a bad <c>\u</c> escape is one System.Text.Json would decode to compare with it.
/// </summary>
internal struct JsonPropertyLookup
{
    private const int MaxNames = 4;
    private readonly byte[][] _names;
    // _positions[n] is the last property name n matched; _positions[MaxNames + n] the last whose lookup of n fails.
    private PropertyPositions _positions;
    private int _property;

    /// <param name="names">At most four.</param>
    public JsonPropertyLookup(byte[][] names)
    {
        if (names.Length > MaxNames)
        {
            throw new ArgumentException($"At most {MaxNames} names.", nameof(names));
        }

        _names = names;
        for (var i = 0; i < 2 * MaxNames; i++)
        {
            _positions[i] = -1;
        }

        _property = 0;
    }

    /// <summary>How many properties have been seen.</summary>
    public readonly int Properties => _property;

    /// <summary>The property the reader is at: the index of the known name it is, or -1.</summary>
    public int Observe(ref Utf8JsonReader reader)
    {
        var property = _property++;
        var raw = reader.ValueSpan;
        var found = -1;
        for (var n = 0; n < _names.Length; n++)
        {
            if (!reader.ValueIsEscaped)
            {
                if (raw.SequenceEqual(_names[n]))
                {
                    _positions[n] = property;
                    found = n;
                }
            }
            else if (LookupFails(raw, _names[n]))
            {
                _positions[MaxNames + n] = property;
            }
            else if (Equals(ref reader, _names[n]))
            {
                _positions[n] = property;
                found = n;
            }
        }

        return found;
    }

    /// <summary>Whether the property at <paramref name="property"/> could change the answer for any name: it is one, or its lookup
    /// fails.</summary>
    public readonly bool Concerns(int property)
    {
        for (var n = 0; n < _names.Length; n++)
        {
            if (_positions[n] == property || _positions[MaxNames + n] == property)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Throws as the document's lookup of the name would have: a failing name after its last match.</summary>
    public readonly void Check(int name)
    {
        if (_positions[MaxNames + name] > _positions[name])
        {
            throw new InvalidOperationException("A property name does not decode.");
        }
    }

    public readonly bool Has(int name) => _positions[name] >= 0;

    private static bool Equals(ref Utf8JsonReader reader, byte[] name)
    {
        try
        {
            return reader.ValueTextEquals(name);
        }
        catch (InvalidOperationException)
        {
            return false; // a name that does not decode equals nothing
        }
    }

    /// <summary>
    /// JsonDocument's lookup decodes an escaped name only when it is longer than the name sought and agrees with it up
    /// to its first backslash; decoding fails on a <c>\u</c> escape of half a surrogate pair.
    /// </summary>
    private static bool LookupFails(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> name)
    {
        var backslash = raw.IndexOf((byte)'\\');
        return raw.Length > name.Length && backslash >= 0 && name.Length > backslash
            && raw[..backslash].SequenceEqual(name[..backslash]) && HasBrokenSurrogate(raw[backslash..]);
    }

    private static bool HasBrokenSurrogate(ReadOnlySpan<byte> escaped)
    {
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != '\\')
            {
                continue;
            }

            if (escaped[i + 1] != 'u')
            {
                i++;
                continue;
            }

            var scalar = Hex(escaped.Slice(i + 2, 4));
            i += 5;
            if (scalar is >= 0xDC00 and <= 0xDFFF)
            {
                return true;
            }

            if (scalar is >= 0xD800 and <= 0xDBFF)
            {
                if (escaped.Length < i + 7 || escaped[i + 1] != '\\' || escaped[i + 2] != 'u'
                    || Hex(escaped.Slice(i + 3, 4)) is < 0xDC00 or > 0xDFFF)
                {
                    return true;
                }

                i += 6;
            }
        }

        return false;
    }

    private static int Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var d in digits)
        {
            value = (value << 4) | (d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
        }

        return value;
    }
}
