using Docker.DotNet;
using Layercake.Deployment.Proxy;
using Layercake.Deployment.Rollouts;
using Layercake.Pipelines.Strategies;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Rollouts.Shadow;

/// <summary>
/// A shadow's one window and its figures. While the mirror runs, both versions' own /metrics give the serving checks
/// of the analysis window (the shadow's 5xx share and p99 against the live version's, and its predicted classes
/// against the live ones, as a canary's); once both have stopped (and so flushed their logs), their prediction logs
/// are read back from the stopped containers and paired on request id for the agreement.
/// </summary>
internal sealed class ShadowRun(RolloutStrategySpec strategy, ProxyBackend live, ProxyBackend shadow, ILogger logger, TimeProvider time)
{
    /// <summary>Waits out the duration; the serving checks of its last analysis window, and when the mirror started and ended.</summary>
    public async Task<(IReadOnlyList<RolloutCheck> Checks, long LiveRequests, long ShadowRequests, DateTimeOffset Started)> WatchAsync(
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var started = time.GetUtcNow();
        var settle = strategy.Duration - strategy.AnalysisWindow;
        if (settle > TimeSpan.Zero)
        {
            await Task.Delay(settle, time, cancellationToken).ConfigureAwait(false);
        }

        var liveBefore = await CanaryRun.ScrapeAsync(http, live, cancellationToken).ConfigureAwait(false);
        var shadowBefore = await CanaryRun.ScrapeAsync(http, shadow, cancellationToken).ConfigureAwait(false);
        await Task.Delay(strategy.AnalysisWindow, time, cancellationToken).ConfigureAwait(false);
        var liveWindow = (await CanaryRun.ScrapeAsync(http, live, cancellationToken).ConfigureAwait(false)).Since(liveBefore);
        var shadowWindow = (await CanaryRun.ScrapeAsync(http, shadow, cancellationToken).ConfigureAwait(false)).Since(shadowBefore);
        var checks = CanaryAnalysis.Check(strategy.Analysis, liveWindow, shadowWindow);
        logger.LogInformation("Shadow {Version}: {Shadow} mirrored requests beside {Live} live in the last window; {Checks}",
            shadow.Version, shadowWindow.Requests, liveWindow.Requests, string.Join("; ", checks.Select(CanaryRun.Describe)));
        return (checks, liveWindow.Requests, shadowWindow.Requests, started);
    }

    /// <summary>
    /// Both versions' predictions between <paramref name="from"/> and <paramref name="to"/>, read from the stopped backends
    /// (the live one's files opened since it started, the shadow's from its own volume) and paired on request id.
    /// </summary>
    public async Task<ShadowComparison> CompareAsync(DockerClient docker, string liveId, string shadowId, DateTimeOffset opened,
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var liveRows = await ShadowLogs.ReadAsync(docker, liveId, opened, from, to, cancellationToken).ConfigureAwait(false);
        var shadowRows = await ShadowLogs.ReadAsync(docker, shadowId, opened, from, to, cancellationToken).ConfigureAwait(false);
        var comparison = ShadowAgreement.Compare(liveRows, shadowRows);
        logger.LogInformation("Shadow {Version} against {Live} on the same requests: {Agreement}",
            shadow.Version, live.Version, comparison.ToCheck(strategy.Analysis).Measured);
        return comparison;
    }
}
