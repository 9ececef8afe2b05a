using System.Globalization;
using System.Text.Json;

namespace Layercake.Runtime.Preprocessing;

/// <summary>
/// Reads one value of a row given as a dictionary (training's rows, a package's samples): null, a CLR number, a string
/// as read from CSV (numbers parsed with the invariant culture), or a <see cref="JsonElement"/>.
/// </summary>
internal static class RawValue
{
    /// <summary>The value as a number, NaN when missing; a value that is no finite float32 number is refused.</summary>
    public static double Number(object? raw, int row, string column)
    {
        double value;
        switch (Unwrap(raw))
        {
            case null:
            case string { Length: 0 }:
                return double.NaN;
            case string s:
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                {
                    throw new FeatureValueException(row, column, s, "a number");
                }

                break;
            case double d:
                value = d;
                break;
            case float f:
                value = f;
                break;
            case int n:
                value = n;
                break;
            case long n:
                value = n;
                break;
            case decimal m:
                value = (double)m;
                break;
            case var other:
                throw new FeatureValueException(row, column, Convert.ToString(other, CultureInfo.InvariantCulture), "a number");
        }

        if (!double.IsFinite(value) || !float.IsFinite((float)value))
        {
            throw new FeatureValueException(row, column, value.ToString("R", CultureInfo.InvariantCulture),
                "a finite number within float32 range");
        }

        return value;
    }

    /// <summary>The value as text, null when missing (an empty string is missing too).</summary>
    public static string? Text(object? raw)
    {
        var text = Unwrap(raw) switch
        {
            null => null,
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>Values read from JSON arrive as elements; they mean what their JSON kind says.</summary>
    private static object? Unwrap(object? raw) => raw is JsonElement element
        ? element.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.Number => element.GetDouble(),
            JsonValueKind.String => element.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => element.GetRawText(),
        }
        : raw;
}
