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

        var head = Encoding.ASCII.GetString(_buffer, 0, headerEnd);
        var status = int.Parse(head.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = headerEnd + 4;
        var length = Header(head, "content-length");
        if (length is not null)
        {
            var end = bodyStart + int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
            while (filled < end)
            {
                filled += Receive(filled);
            }
        }
        else if (Header(head, "transfer-encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            ReadChunks(bodyStart, filled);
        }

        if (Header(head, "connection")?.Equals("close", StringComparison.OrdinalIgnoreCase) == true)
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

    private static string? Header(string head, string name)
    {
        foreach (var line in head.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    public void Dispose() => _socket.Dispose();
}
