using Docker.DotNet.Models;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Settings;
using Layercake.Shared.Docker;

namespace Layercake.Deployment.Environments;

/// <summary>
/// The Swarm service a deployment asks for: the server's settings, a start-first rolling update that rolls back on failure,
/// the faster health check, the prediction-log volume, limits, and host or ingress publishing.
/// </summary>
internal static class SwarmServiceSpec
{
    public static ServiceSpec For(DeploymentPlan plan, SwarmSpec swarm)
    {
        var environment = plan.Environment;
        var host = swarm.PublishMode == "host";
        var labels = DeploymentLabels.For(plan);
        if (plan.ImageId is { } imageId)
        {
            // The tag alone does not change when an image is rebuilt under it; the id does, so Swarm rolls it out.
            labels[LayercakeLabels.ImageId] = imageId;
        }

        var env = EnvironmentOf(environment, host);
        var update = UpdateConfig(swarm);
        return new ServiceSpec
        {
            Name = swarm.Service,
            Labels = labels,
            TaskTemplate = new TaskSpec
            {
                ContainerSpec = ContainerSpecFor(plan, labels, env),
                Resources = new ResourceRequirements
                {
                    Limits =
                        new SwarmLimit { MemoryBytes = environment.MemoryBytes ?? 0, NanoCPUs = environment.Cpus is { } cpus
                        ? (long)(cpus * 1e9) : 0 },
                },
                RestartPolicy = new SwarmRestartPolicy { Condition = "any", Delay = TimeSpan.FromSeconds(1) },
                Networks = host ? [new NetworkAttachmentConfig { Target = "host" }] : null,
            },
            Mode = new ServiceMode { Replicated = new ReplicatedService { Replicas = (ulong)swarm.Replicas } },
            UpdateConfig = update,
            RollbackConfig =
                new SwarmUpdateConfig { Parallelism = update.Parallelism, Delay = update.Delay, Monitor = update.Monitor,
                FailureAction = "pause", Order = "start-first" },
            EndpointSpec = host
                ? null
                : new EndpointSpec { Ports =
                    [new PortConfig { Protocol = "tcp", TargetPort = ServingContainer.Port, PublishedPort = (uint)environment.Port,
                    PublishMode = "ingress" }] },
        };
    }

    private static List<string> EnvironmentOf(EnvironmentSpec environment, bool host)
    {
        var env = new List<string>
        {
            ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.PredictionLog, ServingContainer.PredictionLogDirectory),
            ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.ShutdownSeconds,
                (int)Math.Ceiling(environment.DrainTimeout.TotalSeconds)),
        };
        env.AddRange(host
            ? [ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.Port, environment.Port),
                ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.ReusePort, 1)]
            : [ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.Port, ServingContainer.Port)]);
        return env;
    }

    private static SwarmUpdateConfig UpdateConfig(SwarmSpec swarm) =>
        new SwarmUpdateConfig
        {
            Parallelism = (ulong)swarm.UpdateParallelism,
            Delay = swarm.UpdateDelay,
            Monitor = swarm.Monitor,
            FailureAction = "rollback",
            Order = "start-first",
            MaxFailureRatio = 0,
        };

    private static ContainerSpec ContainerSpecFor(DeploymentPlan plan, IDictionary<string, string> labels, List<string> env)
    {
        var environment = plan.Environment;
        return new ContainerSpec
        {
            Image = plan.Image,
            Labels = labels,
            Env = env,
            ReadOnly = true,
            StopGracePeriod = environment.DrainTimeout,
            // Faster than the image's own check, so a start-first update does not wait 10 s per replica.
            Healthcheck = new HealthcheckConfig
            {
                Test = ["CMD", ServingContainer.ServerPath, ServingContainer.HealthCheckSwitch],
                Interval = TimeSpan.FromSeconds(1),
                Timeout = TimeSpan.FromSeconds(3),
                Retries = 3,
                StartPeriod = environment.ReadyTimeout,
            },
            Mounts =
                [new Mount { Type = "volume", Source = PredictionLogVolume.NameFor(plan.Model, environment.Name),
                Target = ServingContainer.PredictionLogDirectory }],
        };
    }
}
