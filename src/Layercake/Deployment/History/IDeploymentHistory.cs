
namespace Layercake.Deployment.History;

/// <summary>
/// Which version ran where and when: the local registry's history file, or GitHub's Deployments API.
/// <c>Rollback</c> and champion/challenger read it; every deploy writes it.
/// </summary>
public interface IDeploymentHistory
{
    /// <summary>Records a deployment as <see cref="DeploymentState.InProgress"/>.</summary>
    Task<DeploymentRecord> StartAsync(DeploymentRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the outcome. A <see cref="DeploymentState.Success"/> makes the environment's earlier successful
    /// deployments <see cref="DeploymentState.Inactive"/>.
    /// </summary>
    Task<DeploymentRecord> CompleteAsync(DeploymentRecord deployment, DeploymentState state, string description,
        CancellationToken cancellationToken);

    /// <summary>
    /// Records a step of a deployment still in progress (a rollout's step and its checks) as its latest description; on
    /// GitHub, an <c>in_progress</c> status, so the deployment's page lists every step.
    /// </summary>
    Task<DeploymentRecord> ProgressAsync(DeploymentRecord deployment, string description, CancellationToken cancellationToken);

    /// <summary>The environment's deployments, newest first.</summary>
    Task<IReadOnlyList<DeploymentRecord>> ListAsync(string model, string environment, CancellationToken cancellationToken);
}
