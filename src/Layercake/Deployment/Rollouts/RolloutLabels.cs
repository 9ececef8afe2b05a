namespace Layercake.Deployment.Rollouts;

/// <summary>The role label's values for what a rollout starts, and the label that finds the proxy's admin port again.</summary>
internal static class RolloutLabels
{
    public const string Proxy = "rollout-proxy";
    public const string Stable = "rollout-stable";
    public const string Canary = "rollout-canary";
    public const string Shadow = "rollout-shadow";
    public const string AdminPort = "io.layercake.proxy-admin-port";
    public const string BackendPort = "io.layercake.backend-port";
}
