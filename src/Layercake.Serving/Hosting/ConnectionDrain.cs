using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Layercake.Serving.Hosting;

/// <summary>
/// The old instance's side of a switch with SO_REUSEPORT. On SIGTERM it first closes its listening sockets,
/// so new connections go to the instance that remains (with <c>net.ipv4.tcp_migrate_req=1</c> even those
/// already queued), then keeps serving the connections it has, answering each request with
/// <c>Connection: close</c>, until they have gone quiet. Only then does Kestrel stop. Closing a keep-alive
/// connection while it is idle races with a client that is just sending on it; closing it right after a
/// response does not.
/// </summary>
internal sealed class ConnectionDrain(TimeSpan quiet, TimeSpan limit)
{
    private readonly List<Socket> _listeners = [];
    private long _lastRequest = Stopwatch.GetTimestamp();

    public bool Draining { get; private set; }

    public Socket Bind(EndPoint endpoint)
    {
        var socket = ReusePortSocket.Bind(endpoint);
        lock (_listeners)
        {
            _listeners.Add(socket);
        }

        return socket;
    }

    public void RequestStarted() => Interlocked.Exchange(ref _lastRequest, Stopwatch.GetTimestamp());

    /// <summary>Runs in ApplicationStopping, which Kestrel waits for before it stops.</summary>
    public void Drain(Serilog.ILogger logger)
    {
        Draining = true;
        lock (_listeners)
        {
            foreach (var socket in _listeners)
            {
                socket.Dispose();
            }
        }

        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < limit && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastRequest)) < quiet)
        {
            Thread.Sleep(50);
        }

        logger.Information("Drained: listeners closed, open connections quiet for {Quiet} ms after {Elapsed:0} ms", quiet.TotalMilliseconds,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
