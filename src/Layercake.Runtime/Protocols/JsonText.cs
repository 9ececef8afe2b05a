using System.Text.Json;

namespace Layercake.Runtime.Protocols;

/// <summary>
/// Reads strings and property names from a parsed body. System.Text.Json checks a string's UTF-8 and its <c>\u</c>
/// escapes only when the string is read, and then throws <see cref="InvalidOperationException"/>: a client's bad
/// bytes must become a 400 naming the field, not a 500.
/// </summary>
public static class JsonText
{
    public const string Invalid = "not valid text (invalid UTF-8, or a \\u escape of half a surrogate pair)";

    public static bool TryGetString(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException) when (value.ValueKind == JsonValueKind.String)
        {
            text = "";
            return false;
        }
    }

    public static bool TryGetName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }
}
