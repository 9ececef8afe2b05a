using System.Globalization;
using Layercake.Deployment.Proxy;
using Layercake.Pipelines.Strategies;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Rollouts;

/// <summary>
/// The canary's schedule, as Flagger's analysis runs it: at each step the proxy sends the step's percent of requests
/// to the canary; after the interval the checks read the interval's last window from both versions' own /metrics. A
/// passing window moves to the next step; a failing one holds the weight for another interval and counts toward
/// <c>failure_limit</c>, which aborts the rollout when reached.
/// </summary>
internal sealed class CanaryRun(RolloutStrategySpec strategy, ProxyAdmin admin, ProxyBackend stable, ProxyBackend canary, ILogger logger,
    TimeProvider time)
{
    private readonly List<RolloutStep> _steps = [];

    public IReadOnlyList<RolloutStep> Steps => _steps;

    /// <summary>Runs every step; true to promote, false to abort, with the reason either way.</summary>
    public async Task<(bool Promote, string Reason)> RunAsync(Func<IReadOnlyList<RolloutStep>, Task> recorded,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var failures = 0;
        foreach (var weight in strategy.Steps)
        {
            await admin.SetSplitAsync(stable.Name, canary.Name, weight, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Canary {Version} takes {Weight} % of requests", canary.Version, weight);
            while (true)
            {
                var step = await AnalyseAsync(http, weight, cancellationToken).ConfigureAwait(false);
                _steps.Add(step);
                await recorded(_steps).ConfigureAwait(false);
                logger.LogInformation("Step {Weight} %: canary answered {Share:F1} % ({Canary} of {All} requests); {Checks}", weight,
                    step.CanaryShare,
                    step.CanaryRequests, step.StableRequests + step.CanaryRequests, string.Join("; ", step.Checks.Select(Describe)));
                if (step.Passed)
                {
                    break;
                }

                failures++;
                if (failures >= strategy.Analysis.FailureLimit)
                {
                    var failed = string.Join("; ", step.Checks.Where(c => !c.Passed).Select(Describe));
                    return (false, $"aborted at {weight} % after {failures} failed check(s): {failed}");
                }
            }
        }

        return (true, $"promoted after {_steps.Count} passing window(s) at {string.Join(", ", strategy.Steps.Select(s => s + " %"))}");
    }

    public static string Describe(RolloutCheck check) =>
        $"{check.Name} {check.Verdict}: {check.Measured} (limit {check.Limit})";

    private async Task<RolloutStep> AnalyseAsync(HttpClient http, int weight, CancellationToken cancellationToken)
    {
        var settle = strategy.Interval - strategy.AnalysisWindow;
        if (settle > TimeSpan.Zero)
        {
            await Task.Delay(settle, time, cancellationToken).ConfigureAwait(false);
        }

        var started = time.GetUtcNow();
        var (stableBefore, canaryBefore) =
            (await ScrapeAsync(http, stable, cancellationToken).ConfigureAwait(false), await ScrapeAsync(http, canary, cancellationToken)
            .ConfigureAwait(false));
        await Task.Delay(strategy.AnalysisWindow, time, cancellationToken).ConfigureAwait(false);
        var (stableAfter, canaryAfter) =
            (await ScrapeAsync(http, stable, cancellationToken).ConfigureAwait(false), await ScrapeAsync(http, canary, cancellationToken)
            .ConfigureAwait(false));
        var (stableWindow, canaryWindow) = (stableAfter.Since(stableBefore), canaryAfter.Since(canaryBefore));
        return new RolloutStep(weight, started, time.GetUtcNow(), stableWindow.Requests, canaryWindow.Requests,
            CanaryAnalysis.Check(strategy.Analysis, stableWindow, canaryWindow));
    }

    internal static async Task<VersionMetrics> ScrapeAsync(HttpClient http, ProxyBackend backend, CancellationToken cancellationToken)
    {
        var uri = new Uri($"http://127.0.0.1:{backend.Port.ToString(CultureInfo.InvariantCulture)}/metrics");
        return VersionMetrics.Parse(await http.GetStringAsync(uri, cancellationToken).ConfigureAwait(false));
    }
}
