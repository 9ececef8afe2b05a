using Layercake.Pipelines;

namespace Layercake.Deployment.Environments;

/// <summary>
/// Puts a version live in one kind of environment. A deployment that fails leaves the previous version
/// serving and throws <see cref="DeploymentFailedException"/>.
/// </summary>
public interface IDeploymentTarget
{
    /// <summary>Deploys and returns a one-line account of the switch (e.g. how long it took).</summary>
    Task<string> DeployAsync(DeploymentPlan plan, CancellationToken cancellationToken);

    Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken);
}
