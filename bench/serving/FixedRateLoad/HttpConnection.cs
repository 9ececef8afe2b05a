using System.Net.Sockets;
using System.Text;

namespace Layercake.Bench.FixedRateLoad;

/// <summary>
/// One HTTP/1.1 keep-alive connection with blocking sockets: sends a prepared request and reads the whole response
/// (Content-Length or chunked), as a benchmark client needs and no more; far cheaper per request than HttpClient.
/// </summary>
internal sealed class HttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];

    private HttpConnection(Socket socket) => _socket = socket;

    public static HttpConnection Open(Uri url)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(url.Host, url.Port);
        return new HttpConnection(socket);
    }

    public static byte[] PostRequest(Uri url, byte[] body, string contentType)
    {
        var head = $"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }

    /// <summary>Sends the request and returns the response's status code once the whole body has arrived.</summary>
    public int Send(byte[] request)
    {
        _socket.Send(request);
        var filled = 0;
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            filled += Receive(filled);
        }

        var head = _buffer.AsSpan(0, headerEnd);
        var status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
        var bodyStart = headerEnd + 4;
        var (length, chunked, close) = Headers(head);
        if (length >= 0)
        {
            var end = bodyStart + length;
            while (filled < end)
            {
                filled += Receive(filled);
            }
        }
        else if (chunked)
        {
            ReadChunks(bodyStart, filled);
        }

        if (close)
        {
            throw new IOException("the server closed the connection");
        }

        return status;
    }

    private void ReadChunks(int position, int filled)
    {
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _buffer.AsSpan(position, filled - position).IndexOf("\r\n"u8)) < 0)
            {
                filled += Receive(filled);
            }

            var size = Convert.ToInt32(Encoding.ASCII.GetString(_buffer, position, lineEnd).Split(';')[0].Trim(), 16);
            var next = position + lineEnd + 2 + size + 2;
            while (filled < next)
            {
                filled += Receive(filled);
            }

            if (size == 0)
            {
                return;
            }

            position = next;
        }
    }

    private int Receive(int offset)
    {
        if (offset == _buffer.Length)
        {
            throw new InvalidDataException("a response larger than the client's buffer");
        }

        var read = _socket.Receive(_buffer, offset, _buffer.Length - offset, SocketFlags.None);
        return read > 0 ? read : throw new IOException("the server closed the connection");
    }

    /// <summary>The headers a client needs to find the end of a response, in one pass without allocating.</summary>
    private static (int Length, bool Chunked, bool Close) Headers(ReadOnlySpan<byte> head)
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

    public void Dispose() => _socket.Dispose();
}
