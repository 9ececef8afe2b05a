using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Protocols;

namespace Layercake.Deployment.Rollouts.Swarm;

/// <summary>
/// The engine's side of a swarm canary: finds, starts, scales and removes services and waits for what Swarm reports,
/// each wait bounded. A service is found by its labels, so a later build finds what a killed one left.
/// </summary>
internal sealed class SwarmRolloutServices(DockerClient docker, TimeProvider time)
{
    /// <summary>On the environment's service while its replicas are scaled to 0 for a rollout: how many it had.</summary>
    public const string ReplicasLabel = "io.layercake.rollout-replicas";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public async Task<SwarmService?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await docker.Swarm.ListServicesAsync(new ServiceListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [name] = true } },
        }, cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Spec?.Name == name);

    /// <summary>Every service a rollout of this environment started (proxy and both versions).</summary>
    public async Task<IReadOnlyList<SwarmService>> ListAsync(string model, string environment, CancellationToken cancellationToken)
    {
        var services = await docker.Swarm.ListServicesAsync(new ServiceListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool>
                {
                    [$"{LayercakeLabels.Model}={model}"] = true,
                    [$"{LayercakeLabels.Environment}={environment}"] = true,
                },
            },
        }, cancellationToken).ConfigureAwait(false);
        return [.. services.Where(s => RoleOf(s).StartsWith("rollout-", StringComparison.Ordinal))];
    }

    public static string RoleOf(SwarmService service) =>
        service.Spec?.Labels is { } labels && labels.TryGetValue(LayercakeLabels.Role, out var role) ? role : "";

    public async Task<IList<TaskResponse>> TasksAsync(string serviceId, CancellationToken cancellationToken) =>
        await docker.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string,
                bool>> { ["service"] = new Dictionary<string, bool> { [serviceId] = true } },
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Creates a service and waits until <paramref name="ready"/> answers 200 through it.</summary>
    public async Task<string> StartAsync(ServiceSpec spec, Uri ready, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = (await docker.Swarm.CreateServiceAsync(new ServiceCreateParameters { Service = spec }, cancellationToken)
            .ConfigureAwait(false)).ID
                ?? throw new DeploymentFailedException($"The Docker engine created {spec.Name} but did not say its id.");
        try
        {
            await WaitReadyAsync(id, spec, ready, timeout, cancellationToken).ConfigureAwait(false);
            return id;
        }
        catch
        {
            await RemoveAsync(id, TimeSpan.Zero).ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitReadyAsync(string id, ServiceSpec spec, Uri ready, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            try
            {
                using var answer = await http.GetAsync(ready, cancellationToken).ConfigureAwait(false);
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (time.GetUtcNow() > deadline)
            {
                var tasks = await TasksAsync(id, CancellationToken.None).ConfigureAwait(false);
                throw new DeploymentFailedException(
                    $"Swarm service {spec.Name} did not answer {ready} within {timeout.TotalSeconds:F0} s." +
                    $"{SwarmTaskErrors.Of(tasks, spec.TaskTemplate?.ContainerSpec?.Image ?? "")}");
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public static Uri ReadyUri(int port) => new($"http://127.0.0.1:{port}{OpenInferencePaths.HealthReady}");

    /// <summary>
    /// Removes a service and waits until its containers are gone: each was stopped with its own stop signal and grace
    /// period (the server drains, HAProxy finishes what it holds), so nothing behind it may go before that.
    /// </summary>
    public async Task RemoveAsync(string serviceId, TimeSpan grace)
    {
        try
        {
            await docker.Swarm.RemoveServiceAsync(serviceId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerApiException)
        {
            return;
        }

        var deadline = time.GetUtcNow() + grace + TimeSpan.FromSeconds(15);
        while (time.GetUtcNow() < deadline && (await ContainersOfAsync(serviceId).ConfigureAwait(false)).Count > 0)
        {
            await Task.Delay(Poll, time, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Updates a service's spec as it is now (its current version index), without a rolling update unless its task
    /// changed.</summary>
    public async Task UpdateAsync(string serviceId, Func<ServiceSpec, ServiceSpec> change, CancellationToken cancellationToken)
    {
        var service = await docker.Swarm.InspectServiceAsync(serviceId, cancellationToken).ConfigureAwait(false);
        var spec = service.Spec ?? throw new DeploymentFailedException($"The Docker engine returned service {serviceId} without its spec.");
        await docker.Swarm.UpdateServiceAsync(serviceId,
            new ServiceUpdateParameters { Service = change(spec), Version = (long)(service.Version?.Index ?? 0) }, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Waits until exactly <paramref name="replicas"/> tasks of <paramref name="image"/> run (healthy) and no other
    /// does.</summary>
    public async Task<bool> WaitRunningAsync(string serviceId, string? image, int replicas, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var running = (await TasksAsync(serviceId, cancellationToken).ConfigureAwait(false))
                .Where(t => t.Status?.State == TaskState.Running).ToList();
            var ours = running.Count(t => image is null || t.Spec?.ContainerSpec?.Image == image);
            if (ours == replicas && running.Count == replicas)
            {
                return true;
            }

            if (time.GetUtcNow() > deadline)
            {
                return false;
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The proxy's configurations a rollout of this environment created; one still used by a service stays.</summary>
    public async Task RemoveConfigsAsync(string model, string environment)
    {
        foreach (var config in await docker.Configs.ListConfigsAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (config.Spec?.Labels is { } labels && labels.TryGetValue(LayercakeLabels.Model, out var m) && m == model
                && labels.TryGetValue(LayercakeLabels.Environment, out var e) && e == environment)
            {
                try
                {
                    await docker.Configs.RemoveConfigAsync(config.ID, CancellationToken.None).ConfigureAwait(false);
                }
                catch (DockerApiException)
                {
                    // In use by a proxy still stopping, or gone already: the next rollout's clean-up removes it.
                }
            }
        }
    }

    private async Task<IList<ContainerListResponse>> ContainersOfAsync(string serviceId) =>
        await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"com.docker.swarm.service.id={serviceId}"] = true },
            },
        }, CancellationToken.None).ConfigureAwait(false);
}
