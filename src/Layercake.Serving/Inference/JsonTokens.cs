using System.Text.Json;
using Layercake.Runtime.Protocols;

namespace Layercake.Serving.Inference;

/// <summary>The current token of a forward JSON reader as the request readers need it: matched, decoded, described.</summary>
internal static class JsonTokens
{
    /// <summary>The current string or property name, or null when it does not decode (invalid UTF-8, half a surrogate pair).</summary>
    public static string? TryGetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Whether the current string or property name is one of <paramref name="names"/> (by UTF-8 bytes, escapes decoded): its
    /// index, or -1.</summary>
    public static int IndexOf(ref Utf8JsonReader reader, byte[][] names, int hint = -1)
    {
        for (var k = 0; k < names.Length; k++)
        {
            var c = (hint + 1 + k) % names.Length;
            if (reader.ValueTextEquals(names[c]))
            {
                return c;
            }
        }

        return -1;
    }

    /// <summary>A value's kind as errors name it ("found an array").</summary>
    public static string Describe(JsonTokenType token) => JsonValueKinds.Describe(token switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.String => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        _ => JsonValueKind.Null,
    });
}
