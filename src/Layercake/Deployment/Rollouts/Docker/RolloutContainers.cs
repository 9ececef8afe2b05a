using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Protocols;
using Layercake.Runtime.Settings;
using Layercake.Shared.Docker;

namespace Layercake.Deployment.Rollouts.Docker;

/// <summary>
/// The versions behind the proxy: each runs on the host network on a private loopback port of its own (not the
/// environment's), writing to the environment's prediction log as a live version does, found again by its role label.
/// </summary>
internal sealed class RolloutContainers(DockerClient docker, TimeProvider time)
{
    /// <param name="volume">The prediction log's volume; the environment's unless given (a shadow logs apart from it).</param>
    public async Task<(string Id, int Port)> StartBackendAsync(
        DeploymentPlan plan, string role, CancellationToken cancellationToken, string? volume = null)
    {
        var environment = plan.Environment;
        var (port, admin) = (HostPort.FreeLoopback(), HostPort.FreeLoopback());
        var labels = DeploymentLabels.For(plan);
        labels[LayercakeLabels.Role] = role;
        labels[RolloutLabels.BackendPort] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var parameters = new CreateContainerParameters
        {
            Image = plan.Image,
            Name = $"layercake-{plan.Model}-{environment.Name}-{role}-{plan.Version}-{Guid.NewGuid().ToString("N")[..6]}",
            Labels = labels,
            Env =
            [
                ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.Port, port),
                ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.BindAddress, "127.0.0.1"),
                ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.AdminPort, admin),
                ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.PredictionLog, ServingContainer.PredictionLogDirectory),
                ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.ShutdownSeconds,
                    (int)Math.Ceiling(environment.DrainTimeout.TotalSeconds)),
            ],
            StopTimeout = TimeSpan.FromSeconds(Math.Ceiling((environment.DrainTimeout + LocalDockerTarget.FlushMargin).TotalSeconds)),
            HostConfig = new HostConfig
            {
                NetworkMode = "host",
                ReadonlyRootfs = true,
                RestartPolicy = new RestartPolicy { Name = LocalDockerTarget.RestartPolicies[environment.RestartPolicy] },
                Mounts =
                [
                    new Mount
                    {
                        Type = "volume",
                        Source = volume ?? PredictionLogVolume.NameFor(plan.Model, environment.Name),
                        Target = ServingContainer.PredictionLogDirectory,
                    },
                ],
            },
        };
        ContainerLimits.Apply(parameters.HostConfig, environment);
        var created = await docker.Containers.CreateContainerAsync(parameters, cancellationToken).ConfigureAwait(false);
        await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await ContainerReadiness.WaitAsync(docker, created.ID, new Uri($"http://127.0.0.1:{port}{OpenInferencePaths.HealthReady}"), http,
            environment.ReadyTimeout, time, cancellationToken).ConfigureAwait(false);
        return (created.ID, port);
    }

    /// <summary>Everything a rollout of this environment started (proxy and both versions), running or not.</summary>
    public async Task<IList<ContainerListResponse>> ListAsync(string model, string environment, CancellationToken cancellationToken)
    {
        var all = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool>
                {
                    [$"{LayercakeLabels.Model}={model}"] = true,
                    [$"{LayercakeLabels.Environment}={environment}"] = true,
                },
            },
        }, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(c => c.Labels.TryGetValue(LayercakeLabels.Role, out var role)
            && role.StartsWith("rollout-", StringComparison.Ordinal))];
    }
}
