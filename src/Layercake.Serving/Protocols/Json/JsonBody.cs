using System.Text;
using System.Text.Json;
using Layercake.Runtime.Protocols;
using Layercake.Serving.Inference;

namespace Layercake.Serving.Protocols.Json;

/// <summary>
/// What the forward readers of both protocols share: a reader over the whole body, and the rules that keep their
/// errors the ones a parsed document gave. A body that is not JSON is malformed wherever the fault lies, before any
/// field is judged, so a reader that finds a bad field first reads on to the end, and a syntax error there wins.
/// </summary>
internal static class JsonBody
{
    /// <summary>The JSON text of a body: a UTF-8 byte order mark is skipped, as JsonDocument.ParseAsync skipped it.</summary>
    public static ReadOnlySpan<byte> Text(ReadOnlySpan<byte> body) => body.StartsWith("\uFEFF"u8) ? body[3..] : body;

    /// <summary>A reader with JsonDocument's defaults: no comments, no trailing commas, at most 64 levels deep.</summary>
    public static Utf8JsonReader Reader(ReadOnlySpan<byte> json) =>
        new(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });

    /// <summary>After the root value: nothing but whitespace may follow it.</summary>
    public static void End(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            // never: the reader throws
            throw new InvalidOperationException("The reader returned a token after the root value without failing.");
        }
    }

    public static RequestException Malformed(JsonException ex)
    {
        // System.Text.Json appends its own position ("LineNumber: 0 | ..."); the 1-based one here replaces it.
        var reason = JsonSyntaxText.Reason(ex);
        return RequestException.BadRequest(
            $"malformed JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}: {reason}");
    }

    /// <summary>
    /// The error to answer for a bad field: the body is read to its end first, and is malformed if anything there is.
    /// An <see cref="InvalidOperationException"/> is a property name that does not decode (System.Text.Json throws it
    /// when a name with a bad <c>\u</c> escape is compared).
    /// </summary>
    public static RequestException Rejected(ref Utf8JsonReader reader, Exception error)
    {
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            return Malformed(ex);
        }

        return error as RequestException ?? RequestException.BadRequest($"a property name is {JsonText.Invalid}");
    }

    /// <summary>Whether a failure is the request's fault (a bad field), rather than the server's.</summary>
    public static bool IsRequestFault(Exception ex) => ex is RequestException or InvalidOperationException;

    /// <summary>
    /// Moves the reader to the last token of the value that began at <paramref name="depth"/>, from wherever inside it
    /// a fault stopped reading, so the enclosing list or object reads on from the next value.
    /// </summary>
    public static void FinishValue(ref Utf8JsonReader reader, int depth)
    {
        if (reader.CurrentDepth == depth)
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }

            return;
        }

        while (reader.Read() && reader.CurrentDepth > depth)
        {
        }
    }

    /// <summary>Counts the values of the list the reader is at the start of, skipping them, and leaves it at the list's end.</summary>
    public static int Count(ref Utf8JsonReader reader)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
            count++;
        }

        return count;
    }

    /// <summary>
    /// The value the reader is at, as the body spells it. Text that is not UTF-8 throws <see cref="InvalidOperationException"/>,
    /// as <see cref="JsonElement.GetRawText"/> did.
    /// </summary>
    /// <param name="json">The span the reader reads (see <see cref="Text"/>).</param>
    public static string RawText(ReadOnlySpan<byte> json, Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        try
        {
            return Strict.GetString(json[start..end]);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidOperationException("Cannot transcode invalid UTF-8 JSON text to UTF-16 string.", ex);
        }
    }

    private static readonly UTF8Encoding Strict = new(false, true);
}
