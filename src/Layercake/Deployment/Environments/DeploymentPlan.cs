using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Runtime.Manifest;

namespace Layercake.Deployment.Environments;

/// <summary>Everything a target needs to put one version live: the image, and the package's samples for the smoke test.</summary>
public sealed record DeploymentPlan(
    string Model,
    string Version,
    string Image,
    ModelManifest Manifest,
    SampleSet Samples,
    EnvironmentSpec Environment,
    string Kind)
{
    /// <summary>The image's id, when known: a tag rebuilt with other content is then still a change Swarm rolls out.</summary>
    public string? ImageId { get; init; }

    /// <summary>Why the deployment went ahead against a gate (the operator's override), kept in the history's descriptions.</summary>
    public string? Override { get; init; }

    /// <summary>
    /// Where a gradual rollout reports each step and its checks while the deployment is in progress; the deployer sets
    /// it to the history (on GitHub, a deployment status per step). A report that cannot be recorded is logged, not fatal:
    /// the rollout's own journal keeps every step.
    /// </summary>
    public Func<string, CancellationToken, Task>? Progress { get; init; }
}
