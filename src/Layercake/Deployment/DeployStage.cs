using Layercake.Pipelines.Environments;
using Layercake.Registry;
using Layercake.Pipelines;

namespace Layercake.Deployment;

/// <summary>The Deploy task: puts the image this run built (or an earlier run, when Deploy runs alone) live in an environment.</summary>
public sealed class DeployStage(EnvironmentDeployment deployment)
{
    public Task<DeployReport> RunAsync(RegisteredVersion version, EnvironmentSpec environment, CancellationToken cancellationToken) =>
        deployment.RunAsync(version, environment, "deploy", buildImageIfNeeded: false, cancellationToken);
}
