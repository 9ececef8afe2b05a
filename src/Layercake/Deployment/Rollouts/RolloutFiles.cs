namespace Layercake.Deployment.Rollouts;

/// <summary>Where a rollout writes: its journal beside the deployment history, its report under the build's artifacts.</summary>
/// <param name="RegistryRoot">The local registry (the journal: <c>&lt;model&gt;/deployments/&lt;environment&gt;.rollout.json</c>).</param>
/// <param name="ArtifactsRoot">
/// The build's artifacts folder (the report: <c>rollouts/&lt;model&gt;/&lt;environment&gt;/</c>); none writes no report.
/// </param>
internal sealed record RolloutFiles(string RegistryRoot, string? ArtifactsRoot);
