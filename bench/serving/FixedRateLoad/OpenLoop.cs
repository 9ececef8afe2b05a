using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Layercake.Bench.FixedRateLoad;

/// <summary>
/// The open-loop client on one thread: it releases each request when it is due, sends it on a free keep-alive
/// connection, and waits in <c>ppoll</c> (nanosecond timeout, 1 µs timer slack) for whichever comes first, a response
/// or the next due time. One thread and no hand-offs, so on a small machine the client's own scheduling (a blocked
/// thread per connection waiting for a core to be woken on) does not show up as the server's tail latency.
/// </summary>
internal static unsafe partial class OpenLoop
{
    private const int SetTimerSlack = 29; // PR_SET_TIMERSLACK
    private const short PollIn = 0x001;

    /// <summary>Latencies (ms from when each request was due, NaN when it failed), indexed from the first measured one.</summary>
    /// <param name="Statuses">Each measured request's status (0 when it failed), to split the latencies of answers by kind.</param>
    /// <param name="Dropped">Measured requests not sent because no connection was free when they were due (only when dropping).</param>
    public sealed record Result(double[] Latencies, double[] Lateness, long Non2xx, long Errors, double MeasuredSeconds, int[] Statuses, long Dropped);

    /// <param name="dropWhenBusy">
    /// False: a request due while every connection is busy waits in the client for one, and that wait is charged to it
    /// (the server held the connection up). True: it is dropped and counted, as k6's constant-arrival-rate drops an
    /// iteration with no free virtual user. Past what the connections can carry, waiting makes every later request's
    /// latency the client's own backlog, which grows for as long as the load lasts and outlives it; dropping keeps each
    /// latency the server's and the load's end its end.
    /// </param>
    public static Result Run(Uri url, byte[] request, double rate, double seconds, double warmup, int connectionCount, bool dropWhenBusy = false)
    {
        _ = prctl(SetTimerSlack, 1, 0, 0, 0);
        var total = (long)Math.Ceiling(rate * (warmup + seconds));
        var measuredFrom = (long)Math.Ceiling(rate * warmup);
        var latencies = new double[total - measuredFrom];
        var statuses = new int[total - measuredFrom];
        Array.Fill(latencies, double.NaN);
        var lateness = new double[total - measuredFrom];
        var ticksPerRequest = Stopwatch.Frequency / rate;
        long non2xx = 0, errors = 0, lastDone = 0, dropped = 0;

        var connections = Enumerable.Range(0, connectionCount).Select(_ => new Connection(url)).ToArray();
        var idle = new Stack<Connection>(connections);
        var busy = new List<Connection>(connectionCount);
        var pending = new Queue<long>();
        var polled = new PollFd[connectionCount];
        var clock = Stopwatch.StartNew();
        long next = 0;
        while (next < total || pending.Count > 0 || busy.Count > 0)
        {
            var now = clock.ElapsedTicks;
            while (next < total && (long)(next * ticksPerRequest) <= now)
            {
                if (next >= measuredFrom)
                {
                    lateness[next - measuredFrom] = (now - (long)(next * ticksPerRequest)) * 1000.0 / Stopwatch.Frequency;
                }

                pending.Enqueue(next++);
            }

            // Dropping keeps only the newest requests there are free connections for: one that waited for a connection
            // would carry the client's own wait in its latency.
            while (dropWhenBusy && pending.Count > idle.Count)
            {
                dropped += pending.Dequeue() >= measuredFrom ? 1 : 0;
            }

            while (pending.Count > 0 && idle.Count > 0)
            {
                var connection = idle.Pop();
                if (connection.TrySend(pending.Dequeue(), request))
                {
                    busy.Add(connection);
                }
                else
                {
                    errors++;
                    idle.Push(connection);
                }
            }

            // With every connection busy and requests dropped, nothing can be sent until one answers: waking for each due
            // time would only drop it, and at several times the server's rate that loop takes a core from the server.
            var untilDue = next < total && !(dropWhenBusy && idle.Count == 0)
                ? (long)(next * ticksPerRequest) - clock.ElapsedTicks
                : Stopwatch.Frequency / 10;
            var timeout = new Timespec(Math.Max(0, untilDue) * 1_000_000_000 / Stopwatch.Frequency);
            for (var k = 0; k < busy.Count; k++)
            {
                polled[k] = new PollFd { Fd = (int)busy[k].Socket.Handle, Events = PollIn };
            }

            int ready;
            fixed (PollFd* fds = polled)
            {
                ready = ppoll(fds, (ulong)busy.Count, &timeout, IntPtr.Zero);
            }

            if (ready <= 0)
            {
                continue; // the next request is due, or a signal interrupted the wait
            }

            for (var k = busy.Count - 1; k >= 0; k--)
            {
                if (polled[k].Returned == 0)
                {
                    continue;
                }

                var connection = busy[k];
                var index = connection.Index;
                var outcome = connection.Receive();
                if (outcome is null)
                {
                    continue;
                }

                busy.RemoveAt(k);
                idle.Push(connection);
                var done = clock.ElapsedTicks;
                if (outcome.Value < 0)
                {
                    errors++;
                }
                else if (index >= measuredFrom)
                {
                    latencies[index - measuredFrom] = (done - (long)(index * ticksPerRequest)) * 1000.0 / Stopwatch.Frequency;
                    statuses[index - measuredFrom] = outcome.Value;
                    lastDone = done;
                    if (outcome.Value is < 200 or > 299)
                    {
                        non2xx++;
                    }
                }
            }
        }

        foreach (var connection in connections)
        {
            connection.Dispose();
        }

        var measuredSeconds = (lastDone - measuredFrom * ticksPerRequest) / Stopwatch.Frequency;
        return new Result(latencies, lateness, non2xx, errors, measuredSeconds, statuses, dropped);
    }

    /// <summary>One keep-alive connection and the response it is reading.</summary>
    private sealed class Connection(Uri url) : IDisposable
    {
        private readonly byte[] _buffer = new byte[256 * 1024];
        private int _filled;

        public Socket Socket { get; private set; } = Open(url);
        public long Index { get; private set; } = -1;

        public bool TrySend(long index, byte[] request)
        {
            try
            {
                Socket.Send(request);
                Index = index;
                _filled = 0;
                return true;
            }
            catch (SocketException)
            {
                Reopen();
                return false;
            }
        }

        /// <summary>Reads what arrived: the status once the response is whole, -1 if the connection failed, else null.</summary>
        public int? Receive()
        {
            var error = SocketError.NoBufferSpaceAvailable;
            var read = _filled < _buffer.Length ? Socket.Receive(_buffer, _filled, _buffer.Length - _filled, SocketFlags.None, out error) : 0;
            if (read <= 0 || error != SocketError.Success)
            {
                Reopen();
                return -1;
            }

            _filled += read;
            if (ResponseReader.TryComplete(_buffer.AsSpan(0, _filled)) is not { } response)
            {
                return null;
            }

            if (response.Close)
            {
                Reopen();
            }

            return response.Status;
        }

        private void Reopen()
        {
            Socket.Dispose();
            Socket = Open(url);
            _filled = 0;
        }

        private static Socket Open(Uri url)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Connect(url.Host, url.Port);
            return socket;
        }

        public void Dispose() => Socket.Dispose();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Timespec(long nanoseconds)
    {
        public readonly long Seconds = nanoseconds / 1_000_000_000;
        public readonly long Nanoseconds = nanoseconds % 1_000_000_000;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ppoll(PollFd* fds, ulong count, Timespec* timeout, IntPtr signalMask);

    [LibraryImport("libc")]
    private static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
