using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Layercake.Bench.FixedRateLoad;

/// <summary>
/// Releases request i when it is due. It sleeps with nanosleep and a 1 µs timer slack rather than Thread.Sleep,
/// whose millisecond steps would release requests in bursts, and rather than spinning, which would take a core
/// from the server on a small machine.
/// </summary>
internal static partial class Pacer
{
    private const int SetTimerSlack = 29; // PR_SET_TIMERSLACK

    /// <param name="release">Takes the request's index and how late, in stopwatch ticks, the pacer released it.</param>
    public static void Run(Stopwatch clock, double ticksPerRequest, long total, Action<long, long> release)
    {
        _ = prctl(SetTimerSlack, 1, 0, 0, 0);
        for (long i = 0; i < total; i++)
        {
            var dueAt = (long)(i * ticksPerRequest);
            var wait = dueAt - clock.ElapsedTicks;
            if (wait > 0)
            {
                var nanoseconds = wait * 1_000_000_000 / Stopwatch.Frequency;
                var duration = new Timespec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
                _ = nanosleep(ref duration, IntPtr.Zero);
            }

            release(i, clock.ElapsedTicks - dueAt);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int nanosleep(ref Timespec duration, IntPtr remaining);

    [LibraryImport("libc")]
    private static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
