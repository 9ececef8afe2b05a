using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Layercake.Shared.GitHub;

/// <summary>
/// Runs GitHub calls with retries and turns failures into <see cref="GitHubException"/>s that name the
/// repository and, for a 403, the permission the operation needs. A call is retried only on transient
/// failures (5xx, 429, rate limits, no answer); each call is handed its attempt number so that a create
/// can first re-read what an earlier, failed attempt may have made, and so never makes a duplicate.
/// </summary>
internal sealed class GitHubCalls(GitHubOptions options, ILogger logger, TimeProvider time, GitHubRetryPolicy policy)
{
    public GitHubOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public async Task RunAsync(string operation, string permission, Func<int, CancellationToken, Task> call, CancellationToken cancellationToken, bool retryAmbiguous = true) =>
        await RunAsync<bool>(operation, permission, async (attempt, token) =>
        {
            await call(attempt, token).ConfigureAwait(false);
            return true;
        }, cancellationToken, retryAmbiguous).ConfigureAwait(false);

    /// <param name="retryAmbiguous">
    /// False for a call that cannot check whether a failed attempt took effect: it is then retried only on
    /// rate-limit answers (GitHub did nothing), not on a 5xx or a lost answer (GitHub may have acted).
    /// </param>
    public async Task<T> RunAsync<T>(string operation, string permission, Func<int, CancellationToken, Task<T>> call, CancellationToken cancellationToken, bool retryAmbiguous = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            GitHubFailure failure;
            Exception exception;
            try
            {
                return await call(attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && GitHubFailure.From(ex) is { } known)
            {
                failure = known;
                exception = ex;
            }

            var wait = TransientWait(failure, attempt + 1);
            if (wait is null)
            {
                throw Translate(failure, operation, permission, exception);
            }

            if (!retryAmbiguous && !failure.IsRateLimit(Time.GetUtcNow()))
            {
                throw new GitHubException(Redact(
                    $"GitHub failed to {operation} in {Options.Repository} ({Describe(failure)}). It was not retried, since GitHub may have acted before the answer was lost: check before trying again."),
                    failure.Status, Safe(exception));
            }

            if (attempt >= policy.MaxAttempts)
            {
                throw new GitHubException(Redact($"GitHub failed to {operation} in {Options.Repository} after {attempt} attempts: {Describe(failure)}."), failure.Status, Safe(exception));
            }

            if (wait > policy.MaxDelay)
            {
                throw new GitHubException(Redact(
                    $"GitHub's rate limit stops {operation} in {Options.Repository} for {Format(wait.Value)}, longer than the {Format(policy.MaxDelay)} this build waits; run it again later."),
                    failure.Status, Safe(exception));
            }

            logger.LogWarning("GitHub could not {Operation} in {Repository} ({Failure}); retrying in {Delay} (attempt {Next} of {Max})",
                operation, Options.Repository, Redact(Describe(failure)), Format(wait.Value), attempt + 1, policy.MaxAttempts);
            await Task.Delay(wait.Value, Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Octokit's exception carries GitHub's own text, which we do not control: keep it as the inner exception only
    // when it cannot leak the token into a log that prints the exception whole.
    private Exception? Safe(Exception exception) => exception.ToString().Contains(Options.Token, StringComparison.Ordinal) ? null : exception;

    /// <summary>Replaces the token wherever it might appear in text that leaves this class.</summary>
    public string Redact(string text) => text.Replace(Options.Token, "***", StringComparison.Ordinal);

    /// <summary>How long to wait before <paramref name="nextAttempt"/>, or null when the failure is not transient.</summary>
    private TimeSpan? TransientWait(GitHubFailure failure, int nextAttempt)
    {
        var now = Time.GetUtcNow();
        var backoff = policy.Backoff(nextAttempt);
        switch (failure.Status)
        {
            case null:
            case >= 500:
                return backoff;
            case 429:
            case 403 when failure.IsRateLimit(now):
                if (failure.RetryAfter(now) is { } retryAfter)
                {
                    return retryAfter;
                }

                if (failure.UntilRateLimitReset(now) is { } reset)
                {
                    return reset;
                }

                // GitHub asks clients that hit a secondary limit without a Retry-After to wait at least a minute.
                return failure.IsSecondaryRateLimit && backoff < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : backoff;
            default:
                return null;
        }
    }

    private GitHubException Translate(GitHubFailure failure, string operation, string permission, Exception exception)
    {
        var repository = Options.Repository;
        var message = failure.Status switch
        {
            401 => $"GitHub rejected the token for {repository} (401 {failure.Message}) while trying to {operation}: GITHUB_TOKEN is wrong, expired or revoked.",
            403 => $"GitHub refused to {operation} in {repository} (403 {failure.Message}): the token lacks the '{permission}' permission on {repository}. " +
                   $"In a workflow, add '{permission}' under the job's permissions:; for a personal or app token, grant it on the repository.",
            404 => $"GitHub repository {repository} was not found, or the token cannot see it (404 while trying to {operation}). " +
                   "Check GITHUB_REPOSITORY or --repository, and that the token has access to that repository; if both are right, what the operation names does not exist.",
            null => $"Could not reach GitHub at {Options.ApiUrl} to {operation} in {repository}: {failure.Message}",
            _ => $"GitHub failed to {operation} in {repository} ({Describe(failure)}).",
        };
        return new GitHubException(Redact(message), failure.Status, Safe(exception));
    }

    private static string Describe(GitHubFailure failure) =>
        failure.Status is { } status ? $"{status.ToString(CultureInfo.InvariantCulture)} {failure.Message}" : failure.Message;

    private static string Format(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds:F0} ms" : $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
