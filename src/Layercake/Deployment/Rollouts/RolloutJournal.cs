namespace Layercake.Deployment.Rollouts;

/// <summary>
/// The latest rollout of an environment, step by step, as it went: kept beside the deployment history
/// (<c>&lt;registry&gt;/&lt;model&gt;/deployments/&lt;environment&gt;.rollout.json</c>) and rewritten whole after every window.
/// </summary>
internal sealed record RolloutJournal(
    string Model,
    string Environment,
    string Strategy,
    string StableVersion,
    string CanaryVersion,
    string State,
    string? Reason,
    IReadOnlyList<RolloutStep> Steps,
    DateTimeOffset Started,
    DateTimeOffset Updated)
{
    public const string Running = "running";
    public const string Promoted = "promoted";
    public const string Aborted = "aborted";

    /// <summary>A shadow ran for its duration and the live version kept serving (a shadow never promotes itself).</summary>
    public const string Shadowed = "shadowed";

    public static string PathFor(string registryRoot, string model, string environment) =>
        System.IO.Path.Combine(registryRoot, model, "deployments", $"{environment}.rollout.json");
}
