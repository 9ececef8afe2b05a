using Docker.DotNet;

namespace Layercake.Shared.Docker;

/// <summary>
/// Asks a Docker engine whether it answers at all (its <c>/_ping</c>) within a time of the probe's own, so a caller
/// waits at most that long for an engine that is gone or hangs, never the client's default of 100 s.
/// </summary>
internal static class EngineProbe
{
    /// <summary>
    /// For deciding whether an error was the engine's going away: an engine that is up answers a ping in milliseconds
    /// even when busy, and a failed deploy should not wait much longer to say what happened.
    /// </summary>
    public static readonly TimeSpan QuickTimeout = TimeSpan.FromSeconds(3);

    public static async Task<bool> AnswersAsync(DockerClient docker, CancellationToken cancellationToken) =>
        await WhyNotAnsweringAsync(docker, QuickTimeout, cancellationToken).ConfigureAwait(false) is null;

    /// <returns>
    /// Null when the engine answered the ping; otherwise why not: the connection's error, a <see cref="TimeoutException"/>,
    /// or the engine's (or a proxy's) refusal of the ping, which says the engine cannot be used either.
    /// </returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<Exception?> WhyNotAnsweringAsync(DockerClient docker, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var within = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        within.CancelAfter(timeout);
        try
        {
            await docker.System.PingAsync(within.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TimeoutException($"no answer to a ping within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ex;
        }
    }
}
