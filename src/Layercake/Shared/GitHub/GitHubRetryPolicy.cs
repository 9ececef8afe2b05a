namespace Layercake.Shared.GitHub;

/// <summary>
/// How transient GitHub failures are retried: at most <see cref="MaxAttempts"/> calls in all, waiting
/// <see cref="FirstDelay"/> then doubling, never more than <see cref="MaxDelay"/> per wait. A rate limit that
/// asks for a longer wait than <see cref="MaxDelay"/> fails instead of stalling the build.
/// </summary>
public sealed record GitHubRetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static GitHubRetryPolicy Default { get; } = new(5, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(2));

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2 or more) when GitHub named none.</summary>
    public TimeSpan Backoff(int nextAttempt)
    {
        var factor = Math.Pow(2, Math.Max(0, nextAttempt - 2));
        var delay = TimeSpan.FromTicks((long)Math.Min(FirstDelay.Ticks * factor, MaxDelay.Ticks));
        return delay;
    }
}
