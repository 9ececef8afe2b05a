using System.Text.Json;

namespace Layercake.Runtime.Protocols;

/// <summary>JSON value kinds as request errors name them ("found an array").</summary>
public static class JsonValueKinds
{
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };
}
