using System.Globalization;
using Layercake.Runtime.Settings;

namespace Layercake.Serving.Admission;

/// <summary>
/// The bound on scoring work in progress: past <see cref="MaxConcurrent"/> requests, up to <see cref="QueueLength"/>
/// more wait at most <see cref="QueueTimeout"/> for a place (newest first), and the rest get a 503. Null (the default)
/// admits everything, as before.
/// </summary>
internal sealed record AdmissionOptions(int? MaxConcurrent, TimeSpan QueueTimeout, int QueueLength = 0)
{
    /// <summary>
    /// Long enough for a burst to pass the batcher's next call or two (a call takes well under a millisecond), short
    /// against the tens of milliseconds a caller would notice: the longest an admitted request can have waited.
    /// </summary>
    public static readonly TimeSpan DefaultQueueTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The queue is bounded by time, not length, by default: a cap on its length pushes requests out of it in a burst
    /// the queue time would have let through (a cap of the bound shed 7-10 % at half load). This cap only keeps a flood
    /// of connections from holding unbounded memory.
    /// </summary>
    public const int DefaultQueueLength = 10_000;

    public static readonly AdmissionOptions Unbounded = new(null, TimeSpan.Zero);

    /// <summary>What a shed request is told to wait before trying again.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    public static AdmissionOptions Parse(Func<string, string, string?> value)
    {
        if (value("max-concurrent-requests", ServingEnvironmentVariables.MaxConcurrentRequests) is not { Length: > 0 } m)
        {
            return Unbounded;
        }

        var max = Whole(m, "max-concurrent-requests", 1, 1_000_000);
        var queue = value("max-queue-ms", ServingEnvironmentVariables.MaxQueueMilliseconds) is { Length: > 0 } q
            ? TimeSpan.FromMilliseconds(Whole(q, "max-queue-ms", 0, 60_000))
            : DefaultQueueTimeout;
        var length = value("max-queue-length", ServingEnvironmentVariables.MaxQueueLength) is { Length: > 0 } l
            ? Whole(l, "max-queue-length", 1, 1_000_000)
            : DefaultQueueLength;
        return new AdmissionOptions(max, queue, length);
    }

    private static int Whole(string text, string name, int minimum, int maximum) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= minimum && parsed <= maximum
            ? parsed
            : throw new ArgumentException($"--{name}={text}: expected a whole number from {minimum} to {maximum}.");
}
