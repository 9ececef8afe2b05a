using Layercake.Deployment.Proxy;

namespace Layercake.Deployment.Rollouts;

/// <summary>A running split: the proxy's runtime API and the two versions behind it, each on a port of its own.</summary>
internal sealed record CanarySplitPoints(ProxyAdmin Admin, ProxyBackend Stable, ProxyBackend Canary)
{
    /// <summary>The two servers' names in the proxy's configuration and runtime API.</summary>
    public const string StableName = "stable";

    public const string CanaryName = "canary";
}
