using Docker.DotNet;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Environments;

/// <summary>The target an environment's <c>target:</c> names, on one Docker engine.</summary>
internal static class DeploymentTargets
{
    public static IDeploymentTarget For(DockerClient docker, EnvironmentSpec environment, ILogger logger, TimeProvider time) => environment.Target switch
    {
        DeployTargetKind.Swarm => new SwarmTarget(docker, logger, time),
        _ => new LocalDockerTarget(docker, logger, time),
    };
}
