using System.Text;

namespace Layercake.Bench.FixedRateLoad;

/// <summary>
/// Finds where an HTTP/1.1 response ends in the bytes received so far (Content-Length or chunked), without
/// allocating, so one thread can read many connections a few bytes at a time.
/// </summary>
internal static class ResponseReader
{
    /// <summary>
    /// The response's status when <paramref name="received"/> holds all of it, with whether the server will close the
    /// connection; null while more bytes are needed.
    /// </summary>
    public static (int Status, bool Close)? TryComplete(ReadOnlySpan<byte> received)
    {
        var headerEnd = received.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return null;
        }

        var head = received[..headerEnd];
        var status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
        var body = received[(headerEnd + 4)..];
        var (length, chunked, close) = Headers(head);
        if (length >= 0)
        {
            return body.Length >= length ? (status, close) : null;
        }

        return !chunked || ChunksComplete(body) ? (status, close) : null;
    }

    private static bool ChunksComplete(ReadOnlySpan<byte> body)
    {
        var position = 0;
        while (true)
        {
            var lineEnd = body[position..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return false;
            }

            var sizeText = body.Slice(position, lineEnd);
            var extension = sizeText.IndexOf((byte)';');
            var size = Convert.ToInt32(Encoding.ASCII.GetString(extension < 0 ? sizeText : sizeText[..extension]).Trim(), 16);
            var next = position + lineEnd + 2 + size + 2;
            if (body.Length < next)
            {
                return false;
            }

            if (size == 0)
            {
                return true;
            }

            position = next;
        }
    }

    /// <summary>The headers a client needs to find the end of a response, in one pass without allocating.</summary>
    public static (int Length, bool Chunked, bool Close) Headers(ReadOnlySpan<byte> head)
    {
        var (length, chunked, close) = (-1, false, false);
        foreach (var range in head.Split("\r\n"u8))
        {
            var line = head[range];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim((byte)' ');
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                length = int.Parse(value, provider: System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                chunked = value.IndexOf("chunked"u8) >= 0;
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                close = Ascii.EqualsIgnoreCase(value, "close"u8);
            }
        }

        return (length, chunked, close);
    }
}
