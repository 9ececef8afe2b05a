using Docker.DotNet;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Rollouts;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Strategies;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment;

/// <summary>The target an environment's <c>target:</c> names, on one Docker engine.</summary>
internal static class DeploymentTargets
{
    /// <param name="registryRoot">Where a rollout keeps its journal beside the history; none for Status.</param>
    public static IDeploymentTarget For(DockerClient docker, EnvironmentSpec environment, ILogger logger, TimeProvider time, string? registryRoot = null) =>
        environment switch
        {
            { Target: DeployTargetKind.Swarm } => new SwarmTarget(docker, logger, time),
            { Strategy.Kind: RolloutKind.Canary } => new CanaryTarget(docker, new LocalDockerTarget(docker, logger, time), registryRoot, logger, time),
            { Strategy.Kind: RolloutKind.Shadow } => new ShadowTarget(docker, new LocalDockerTarget(docker, logger, time), registryRoot, logger, time),
            _ => new LocalDockerTarget(docker, logger, time),
        };
}
