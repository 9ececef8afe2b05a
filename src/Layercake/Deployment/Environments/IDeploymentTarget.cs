using Layercake.Deployment.Errors;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;

namespace Layercake.Deployment.Environments;

/// <summary>
/// Puts a version live in one kind of environment. A deployment that fails leaves the previous version
/// serving and throws <see cref="DeploymentFailedException"/>.
/// </summary>
public interface IDeploymentTarget
{
    /// <summary>Deploys and returns a one-line account of the switch (e.g. how long it took).</summary>
    /// <param name="live">
    /// Called once the new version takes traffic and before the old one is stopped, so the history names the new
    /// version live before the old one can be gone: a build killed at any point never leaves a record of a live
    /// version that is not running.
    /// </param>
    Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken);

    Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the engine behind this target answers a ping now, within a few seconds of the probe's own: asked after
    /// a deploy failed with a connection error, to tell an engine that went away from a connection that broke while
    /// the engine stayed up (a cut log stream, a refused connection to the served model).
    /// </summary>
    Task<bool> EngineAnswersAsync(CancellationToken cancellationToken);
}
