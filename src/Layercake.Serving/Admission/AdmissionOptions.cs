using System.Globalization;
using Layercake.Runtime.Settings;

namespace Layercake.Serving.Admission;

/// <summary>
/// The bound on scoring work in progress: past <see cref="MaxConcurrent"/> requests, a new one waits at most
/// <see cref="QueueTimeout"/> for a place, then gets a 503. Null (the default) admits everything, as before.
/// </summary>
internal sealed record AdmissionOptions(int? MaxConcurrent, TimeSpan QueueTimeout)
{
    public static readonly AdmissionOptions Unbounded = new(null, TimeSpan.Zero);

    /// <summary>What a shed request is told to wait before trying again.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    public static AdmissionOptions Parse(Func<string, string, string?> value)
    {
        var max = value("max-concurrent-requests", ServingEnvironmentVariables.MaxConcurrentRequests) is { Length: > 0 } m
            ? Whole(m, "max-concurrent-requests", 1, 1_000_000)
            : (int?)null;
        var queue = value("max-queue-ms", ServingEnvironmentVariables.MaxQueueMilliseconds) is { Length: > 0 } q
            ? TimeSpan.FromMilliseconds(Whole(q, "max-queue-ms", 0, 60_000))
            : TimeSpan.Zero;
        return new AdmissionOptions(max, queue);
    }

    private static int Whole(string text, string name, int minimum, int maximum) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= minimum && parsed <= maximum
            ? parsed
            : throw new ArgumentException($"--{name}={text}: expected a whole number from {minimum} to {maximum}.");
}
