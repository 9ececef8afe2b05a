using System.Text.Json;

namespace Layercake.Monitoring.Logs.Internal;

/// <summary>
/// Finds the reader's property name in a list of UTF-8 names, starting where the last match left off: the server writes
/// a log line's columns in the same order every time, so the next column is usually the next name.
/// </summary>
internal static class NameSearch
{
    /// <summary>The index of the name, or -1; <paramref name="guess"/> moves past a match.</summary>
    public static int Find(ref Utf8JsonReader reader, byte[][] names, ref int guess)
    {
        for (var k = 0; k < names.Length; k++)
        {
            var i = (guess + k) % names.Length;
            if (reader.ValueTextEquals(names[i]))
            {
                guess = i + 1;
                return i;
            }
        }

        return -1;
    }
}
