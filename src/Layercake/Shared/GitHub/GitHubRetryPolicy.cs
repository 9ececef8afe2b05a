namespace Layercake.Shared.GitHub;

/// <summary>
/// How transient GitHub failures are retried: at most <see cref="MaxAttempts"/> calls in all, waiting
/// <see cref="FirstDelay"/> then doubling, never more than <see cref="MaxDelay"/> per wait. With
/// <see cref="Jitter"/> the backoff is spread at random around those waits, so builds that failed together do not
/// retry together. A rate limit that asks for a longer wait than <see cref="MaxDelay"/> fails instead of stalling the build.
/// </summary>
public sealed record GitHubRetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay, bool Jitter = true)
{
    public static GitHubRetryPolicy Default { get; } = new(5, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(2));
}
