using System.Net;
using System.Net.Sockets;

namespace Layercake.Serving.Hosting;

/// <summary>A listening socket with SO_REUSEPORT set before it binds, as Linux requires.</summary>
internal static class ReusePortSocket
{
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    public static Socket Bind(EndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            }

            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
