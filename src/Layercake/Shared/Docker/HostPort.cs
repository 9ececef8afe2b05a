using System.Net;
using System.Net.Sockets;

namespace Layercake.Shared.Docker;

/// <summary>Ports on this host: whether one is free, and a free one to use.</summary>
internal static class HostPort
{
    /// <summary>True when nothing listens on the port on any address (a plain bind, without SO_REUSEPORT, succeeds).</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreeLoopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
