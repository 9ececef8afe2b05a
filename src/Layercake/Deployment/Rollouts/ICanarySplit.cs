using Layercake.Deployment.Proxy;

namespace Layercake.Deployment.Rollouts;

/// <summary>
/// Where a canary's requests are split, on one kind of target: the proxy on the environment's port in front of a
/// stable and a canary backend. <see cref="CanaryRollout"/> runs the same schedule, journal and report over any of them.
/// </summary>
internal interface ICanarySplit
{
    /// <summary>Both versions behind the proxy, the proxy on the port, the stable version's own listeners gone from it.</summary>
    Task<CanarySplitPoints> StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The new version serving the port as an all-at-once deploy leaves it, then the proxy and both backends gone.
    /// <paramref name="live"/> is called once the new version takes traffic, before anything of the stable one is stopped.
    /// </summary>
    Task PromoteAsync(Func<Task> live);

    /// <summary>
    /// All traffic back on the stable version serving the port as before, then the proxy and both backends gone; safe at
    /// any point of <see cref="StartAsync"/>. Returns how quickly the proxy's split changed, for the record.
    /// </summary>
    Task<string> AbortAsync();
}
