using Docker.DotNet;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Rollouts;
using Layercake.Deployment.Rollouts.Docker;
using Layercake.Deployment.Rollouts.Shadow;
using Layercake.Deployment.Rollouts.Swarm;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Pipelines.Strategies;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment;

/// <summary>The target an environment's <c>target:</c> names, on one Docker engine.</summary>
internal static class DeploymentTargets
{
    /// <param name="registryRoot">Where a rollout keeps its journal beside the history; none for Status.</param>
    /// <param name="artifactsRoot">Where a concluded rollout writes its report; none writes none.</param>
    public static IDeploymentTarget For(
        DockerClient docker, EnvironmentSpec environment, ILogger logger, TimeProvider time, string? registryRoot = null,
        string? artifactsRoot = null)
    {
        var files = registryRoot is null ? null : new RolloutFiles(registryRoot, artifactsRoot);
        LocalDockerTarget Local() => new(docker, logger, time);
        return environment switch
        {
            { Target: DeployTargetKind.Swarm, Strategy.Kind: RolloutKind.Canary } =>
                new SwarmCanaryTarget(docker, new SwarmTarget(docker, logger, time), files, logger, time),
            { Target: DeployTargetKind.Swarm } => new SwarmTarget(docker, logger, time),
            { Strategy.Kind: RolloutKind.Canary } => new CanaryTarget(docker, Local(), files, logger, time),
            { Strategy.Kind: RolloutKind.Shadow } => new ShadowTarget(docker, Local(), files, logger, time),
            _ => new LocalDockerTarget(docker, logger, time),
        };
    }
}
