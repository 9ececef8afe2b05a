using Layercake.Runtime.Containers;

namespace Layercake.Deployment.Environments;

/// <summary>
/// Labels on what a deploy starts (keys in <see cref="LayercakeLabels"/>), so later runs find an environment's
/// containers or service again, and the values of its role label.
/// </summary>
internal static class DeploymentLabels
{
    public const string Live = "live";
    public const string Candidate = "candidate";

    /// <summary>The labels of what a plan puts live: model, version, environment, role.</summary>
    public static Dictionary<string, string> For(DeploymentPlan plan) => new()
    {
        [LayercakeLabels.Model] = plan.Model,
        [LayercakeLabels.Version] = plan.Version,
        [LayercakeLabels.Environment] = plan.Environment.Name,
        [LayercakeLabels.Role] = Live,
    };
}
