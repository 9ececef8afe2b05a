using System.Globalization;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Layercake.Shared.GitHub;

/// <summary>
/// Runs GitHub calls with retries and turns failures into <see cref="GitHubException"/>s that name the
/// repository and, for a 403, the permission the operation needs. A call is retried only on transient
/// failures (5xx, 429, rate limits, no answer); each call is handed its attempt number so that a create
/// can first re-read what an earlier, failed attempt may have made, and so never makes a duplicate.
/// The retries are a Polly pipeline: exponential backoff with jitter, except where GitHub names the wait.
/// </summary>
internal sealed class GitHubCalls
{
    private static readonly ResiliencePropertyKey<Call> CallKey = new("layercake.github.call");

    private readonly ILogger _logger;
    private readonly GitHubRetryPolicy _policy;
    private readonly ResiliencePipeline _pipeline;

    public GitHubCalls(GitHubOptions options, ILogger logger, TimeProvider time, GitHubRetryPolicy policy)
    {
        Options = options;
        Time = time;
        _logger = logger;
        _policy = policy;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                // The predicate below stops at the policy's last attempt; Polly needs at least one retry configured.
                MaxRetryAttempts = Math.Max(1, policy.MaxAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = policy.Jitter,
                Delay = policy.FirstDelay,
                MaxDelay = policy.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context, args.Outcome.Exception, args.AttemptNumber + 1)),
                // GitHub's own wait (Retry-After, x-ratelimit-reset), as ShouldRetry read it, is taken as it is: Polly does not
                // cap it, ShouldRetry does. Null leaves Polly's jittered backoff.
                DelayGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(CallKey, null!).RequestedWait),
                OnRetry = args =>
                {
                    // Only after ShouldRetry said yes, so the call's state holds the failure it judged.
                    var state = args.Context.Properties.GetValue(CallKey, null!);
                    _logger.LogWarning(
                        "GitHub could not {Operation} in {Repository} ({Failure}); retrying in {Delay} (attempt {Next} of {Max})",
                        state.Operation, Options.Repository, Redact(state.Failure is { } failure ? Describe(failure) : "unknown failure"),
                            Format(args.RetryDelay), args.AttemptNumber + 2, _policy.MaxAttempts);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public GitHubOptions Options { get; }

    public TimeProvider Time { get; }

    public async Task RunAsync(string operation, string permission, Func<int, CancellationToken, Task> call,
        CancellationToken cancellationToken, bool retryAmbiguous = true) =>
        await RunAsync<bool>(operation, permission, async (attempt, token) =>
        {
            await call(attempt, token).ConfigureAwait(false);
            return true;
        }, cancellationToken, retryAmbiguous).ConfigureAwait(false);

    /// <param name="retryAmbiguous">
    /// False for a call that cannot check whether a failed attempt took effect: it is then retried only on
    /// rate-limit answers (GitHub did nothing), not on a 5xx or a lost answer (GitHub may have acted).
    /// </param>
    public async Task<T> RunAsync<T>(string operation, string permission, Func<int, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken, bool retryAmbiguous = true)
    {
        var state = new Call(operation, retryAmbiguous);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallKey, state);
        try
        {
            return await _pipeline.ExecuteAsync(
                async (ctx, s) => await call(++s.Attempts, ctx.CancellationToken).ConfigureAwait(false), context, state)
                    .ConfigureAwait(false);
        }
        catch (Exception ex) when (ReferenceEquals(ex, state.Exception) && state.Failure is { } failure)
        {
            throw Stopped(state, failure, permission, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Whether to try again after attempt <paramref name="attempt"/>; when not, records why for the message.</summary>
    private bool ShouldRetry(ResilienceContext context, Exception? exception, int attempt)
    {
        if (exception is null || context.CancellationToken.IsCancellationRequested || GitHubFailure.From(exception) is not { } failure)
        {
            return false;
        }

        var state = context.Properties.GetValue(CallKey, null!);
        var now = Time.GetUtcNow();
        state.Exception = exception;
        state.Failure = failure;
        state.RequestedWait = RequestedWait(failure, now);
        state.Stop = !IsTransient(failure, now) ? Stop.NotTransient
            : !state.RetryAmbiguous && !failure.IsRateLimit(now) ? Stop.Ambiguous
            : attempt >= _policy.MaxAttempts ? Stop.LastAttempt
            : state.RequestedWait > _policy.MaxDelay ? Stop.WaitTooLong
            : Stop.None;
        return state.Stop == Stop.None;
    }

    private Exception Stopped(Call state, GitHubFailure failure, string permission, Exception exception) => state.Stop switch
    {
        Stop.Ambiguous => new GitHubException(Redact(
            $"GitHub failed to {state.Operation} in {Options.Repository} ({Describe(failure)}). It was not retried, since GitHub may " +
                $"have acted before the answer was lost: check before trying again."),
            failure.Status, Safe(exception)),
        Stop.LastAttempt =>
            new GitHubException(
            Redact($"GitHub failed to {state.Operation} in {Options.Repository} after {state.Attempts} attempts: {Describe(failure)}."),
            failure.Status, Safe(exception)),
        Stop.WaitTooLong => new GitHubException(Redact(
            $"GitHub's rate limit stops {state.Operation} in {Options.Repository} for {Format(state.RequestedWait!.Value)}, longer than " +
                $"the {Format(_policy.MaxDelay)} this build waits; run it again later."),
            failure.Status, Safe(exception)),
        _ => Translate(failure, state.Operation, permission, exception),
    };

    // Octokit's exception carries GitHub's own text, which we do not control: keep it as the inner exception only
    // when it cannot leak the token into a log that prints the exception whole.
    private Exception? Safe(Exception exception) => exception.ToString().Contains(Options.Token, StringComparison.Ordinal) ? null
        : exception;

    /// <summary>Replaces the token wherever it might appear in text that leaves this class.</summary>
    public string Redact(string text) => text.Replace(Options.Token, "***", StringComparison.Ordinal);

    /// <summary>5xx, no answer, 429 and rate-limit 403s are worth another try; other answers will not change.</summary>
    private static bool IsTransient(GitHubFailure failure, DateTimeOffset now) => failure.Status switch
    {
        null or >= 500 or 429 => true,
        403 => failure.IsRateLimit(now),
        _ => false,
    };

    /// <summary>The wait GitHub asks for on a rate limit, or null to use the backoff.</summary>
    private static TimeSpan? RequestedWait(GitHubFailure failure, DateTimeOffset now)
    {
        if (!failure.IsRateLimit(now))
        {
            return null;
        }

        // GitHub asks clients that hit a secondary limit without a Retry-After to wait at least a minute; the
        // backoff never reaches that within the attempts a build makes, so a minute is the wait.
        return failure.RetryAfter(now) ?? failure.UntilRateLimitReset(now)
            ?? (failure.IsSecondaryRateLimit ? TimeSpan.FromMinutes(1) : null);
    }

    private GitHubException Translate(GitHubFailure failure, string operation, string permission, Exception exception)
    {
        var repository = Options.Repository;
        var message = failure.Status switch
        {
            401 => $"GitHub rejected the token for {repository} (401 {failure.Message}) while trying to {operation}: GITHUB_TOKEN is " +
                $"wrong, expired or revoked.",
            403 => $"GitHub refused to {operation} in {repository} (403 {failure.Message}): the token lacks the '{permission}' " +
                $"permission on {repository}. " +
                   $"In a workflow, add '{permission}' under the job's permissions:; for a personal or app token, grant it on the " +
                       $"repository.",
            404 => $"GitHub repository {repository} was not found, or the token cannot see it (404 while trying to {operation}). " +
                   "Check the repository given (GITHUB_REPOSITORY), and that the token has access to that repository; if both are right, " +
                       "what the operation names does not exist.",
            null => $"Could not reach GitHub at {Options.ApiUrl} to {operation} in {repository}: {failure.Message}",
            _ => $"GitHub failed to {operation} in {repository} ({Describe(failure)}).",
        };
        return new GitHubException(Redact(message), failure.Status, Safe(exception));
    }

    private static string Describe(GitHubFailure failure) =>
        failure.Status is { } status ? $"{status.ToString(CultureInfo.InvariantCulture)} {failure.Message}" : failure.Message;

    private static string Format(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds:F0} ms" : $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";

    private enum Stop
    {
        None,
        NotTransient,
        Ambiguous,
        LastAttempt,
        WaitTooLong,
    }

    /// <summary>One call's attempts and, once it stops, why: the pipeline is shared, the state is per call.</summary>
    private sealed class Call(string operation, bool retryAmbiguous)
    {
        public string Operation { get; } = operation;

        public bool RetryAmbiguous { get; } = retryAmbiguous;

        public int Attempts { get; set; }

        public Exception? Exception { get; set; }

        public GitHubFailure? Failure { get; set; }

        public Stop Stop { get; set; }

        public TimeSpan? RequestedWait { get; set; }
    }
}
