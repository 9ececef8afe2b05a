using Layercake.Deployment;
using Layercake.Deployment.History;
using Layercake.Pipelines.Environments;
using Layercake.Registry;
using Layercake.Management.Releases;
using Layercake.Pipelines;
using Microsoft.Extensions.Logging;

namespace Layercake.Management;

/// <summary>
/// The Rollback task: redeploys the version that was live in an environment before the current one (or a named
/// one that was live there) by the same safe path, recorded as a new deployment.
/// </summary>
public sealed class RollbackStage(IModelRegistry registry, IDeploymentHistory history, EnvironmentDeployment deployment, ILogger logger)
{
    /// <param name="requested">A version that was live in the environment before; null for the one before the current.</param>
    public async Task<DeployReport> RunAsync(string model, EnvironmentSpec environment, string? requested,
        CancellationToken cancellationToken)
    {
        var deployments = await history.ListAsync(model, environment.Name, cancellationToken).ConfigureAwait(false);
        var target = RollbackPlanner.Choose(deployments, environment.Name, requested);
        logger.LogInformation("Rolling {Environment} back to {Model} {Version}", environment.Name, model, target);
        var version = await registry.FetchAsync(model, SemanticVersion.Parse(target, "the rollback version"), cancellationToken)
            .ConfigureAwait(false);
        return await deployment.RunAsync(version, environment, "rollback", buildImageIfNeeded: true, cancellationToken)
            .ConfigureAwait(false);
    }
}
