using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Errors;
using Layercake.Deployment.Secrets;
using Layercake.Deployment.SmokeTests;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Settings;
using Layercake.Shared.Docker;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Environments;

/// <summary>
/// A Docker Swarm service: Swarm does the rolling update itself, <c>start-first</c> with
/// <c>failure_action: rollback</c>, so a version whose replicas fail their health check is rolled back by
/// Swarm. This class creates or updates the service, waits for Swarm's verdict, and smoke-tests the result.
/// In <c>host</c> publish mode the replicas share the port with SO_REUSEPORT on the host network (one node,
/// no routing mesh); in <c>ingress</c> mode Swarm's routing mesh publishes it on every node.
/// </summary>
internal sealed class SwarmTarget(DockerClient docker, ILogger logger, TimeProvider time) : IDeploymentTarget
{
    public async Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        var swarm = environment.Swarm ?? throw new ArgumentException($"Environment '{environment.Name}' is not a swarm environment.");
        // The secrets are read and checked before anything changes: a bad one fails the deploy, naming its file.
        var secrets = EnvironmentSecrets.Read(environment, Environment.GetEnvironmentVariable, time);
        await RequireManagerAsync(cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var spec = SwarmServiceSpec.For(plan, swarm);
        var swarmSecrets = new SwarmSecrets(docker, logger);
        await swarmSecrets.ApplyAsync(spec.TaskTemplate!.ContainerSpec!, swarm.Service, secrets, cancellationToken).ConfigureAwait(false);
        try
        {
            var existing = await FindAsync(swarm.Service, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                await CreateAsync(plan, swarm, spec, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await UpdateAsync(plan, swarm, spec, existing, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Whatever the outcome: the secrets of a spec that is neither current nor Swarm's rollback, or of a service removed.
            await swarmSecrets.PruneAsync(swarm.Service, CancellationToken.None).ConfigureAwait(false);
        }

        // Swarm switched the replicas itself and keeps the old ones only as its rollback; the new version is live now.
        await live().ConfigureAwait(false);
        return $"{plan.Model} {plan.Version} runs as Swarm service {swarm.Service} ({swarm.Replicas} replicas, port {environment.Port}); " +
            $"{clock.Elapsed.TotalSeconds:F1} s";
    }

    /// <summary>A first deployment: creates the service, waits for its replicas and smoke-tests it; one that fails leaves
    /// nothing.</summary>
    private async Task CreateAsync(DeploymentPlan plan, SwarmSpec swarm, ServiceSpec spec, CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        if (swarm.PublishMode == "host" && !HostPort.IsFree(environment.Port))
        {
            throw new DeploymentFailedException(
                $"Port {environment.Port} of environment '{environment.Name}' is already taken on this host; stop what uses it or choose " +
                $"another port in the pipeline's environments.{environment.Name}.port.");
        }

        var created =
            (await docker.Swarm.CreateServiceAsync(new ServiceCreateParameters { Service = spec }, cancellationToken).ConfigureAwait(false))
            .ID
            ?? throw new DeploymentFailedException($"The Docker engine created the Swarm service {swarm.Service} but did not say its id.");
        logger.LogInformation("Created Swarm service {Service} with {Replicas} replicas of {Image}", swarm.Service, swarm.Replicas,
            plan.Image);
        try
        {
            await WaitAsync(created, plan, DateTime.MinValue, cancellationToken).ConfigureAwait(false);
            await SmokeTestAsync(plan, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A first deployment that fails leaves nothing behind.
            await docker.Swarm.RemoveServiceAsync(created, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A rolling update, start-first; a failure Swarm did not roll back itself is rolled back here.</summary>
    private async Task UpdateAsync(DeploymentPlan plan, SwarmSpec swarm, ServiceSpec spec, SwarmService existing,
        CancellationToken cancellationToken)
    {
        // Swarm keeps the last update's status; only one that started after it is this deploy's.
        var previousUpdate = existing.UpdateStatus?.StartedAt ?? DateTime.MinValue;
        // A second early: the manager's clock (task creation times) and ours are one host's, or a manager's and its build host's.
        var requested = time.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(1);
        await docker.Swarm.UpdateServiceAsync(existing.ID,
            new ServiceUpdateParameters { Service = spec, Version = (long)(existing.Version?.Index ?? 0) }, cancellationToken)
            .ConfigureAwait(false);
        logger.LogInformation("Updating Swarm service {Service} to {Image} ({Replicas} replicas, start-first, rollback on failure)",
            swarm.Service, plan.Image, swarm.Replicas);
        try
        {
            await WaitAsync(existing.ID, plan, previousUpdate, cancellationToken, PreviousVersion(existing)).ConfigureAwait(false);
            var recovery = new SwarmRecovery(docker, logger, time);
            if (await recovery.WhyNotServingAsync(() => TasksAsync(existing.ID, cancellationToken), plan.Image, requested, swarm.Monitor,
                cancellationToken).ConfigureAwait(false) is { } failure)
            {
                throw await recovery.RollBackAsync(existing.ID, plan, PreviousVersion(existing), failure, cancellationToken)
                    .ConfigureAwait(false);
            }

            await SmokeTestAsync(plan, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not DeploymentFailedException { SwarmRolledBack: true })
        {
            // Timed out, cancelled or failed the smoke test: do not leave Swarm finishing an update the history calls failed.
            var current = await docker.Swarm.InspectServiceAsync(existing.ID, CancellationToken.None).ConfigureAwait(false);
            await docker.Swarm.UpdateServiceAsync(existing.ID,
                new ServiceUpdateParameters { Service = current.Spec ?? spec, Version = (long)(current.Version?.Index ?? 0),
                Rollback = "previous" }, CancellationToken.None).ConfigureAwait(false);
            logger.LogWarning("Asked Swarm to roll {Service} back to its previous version: {Reason}", swarm.Service,
                ex.Message.Split('\n')[0]);
            throw;
        }
    }

    public Task<bool> EngineAnswersAsync(CancellationToken cancellationToken) => EngineProbe.AnswersAsync(docker, cancellationToken);

    public async Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken)
    {
        var swarm = environment.Swarm ?? throw new ArgumentException($"Environment '{environment.Name}' is not a swarm environment.");
        await RequireManagerAsync(cancellationToken).ConfigureAwait(false);
        var service = await FindAsync(swarm.Service, cancellationToken).ConfigureAwait(false);
        if (service is null)
        {
            return new EnvironmentStatus(environment.Name, "swarm", environment.Port, [], $"no service {swarm.Service}");
        }

        var tasks = await TasksAsync(service.ID, cancellationToken).ConfigureAwait(false);
        var instances = tasks.Where(t => t.DesiredState == TaskState.Running).OrderBy(t => t.Slot).Select(t => new InstanceStatus(
            $"{swarm.Service}.{t.Slot}",
            t.Spec?.ContainerSpec?.Labels is { } l && l.TryGetValue(LayercakeLabels.Version, out var v) ? v : "?",
            t.Spec?.ContainerSpec?.Image ?? "?",
            t.Status?.ContainerStatus?.ContainerID is { Length: >= 12 } id ? id[..12] : "-",
            new DateTimeOffset(DateTime.SpecifyKind(t.Status?.Timestamp ?? DateTime.MinValue, DateTimeKind.Utc)),
            (t.Status?.State.ToString() ?? "unknown").ToLowerInvariant(),
            t.Status?.State == TaskState.Running ? "healthy" : t.Status?.Err is { Length: > 0 } err ? err : "-")).ToList();
        var replicas = service.Spec?.Mode?.Replicated?.Replicas ?? 0;
        var update = service.UpdateStatus is { } u ? $"; last update {u.State}{(string.IsNullOrEmpty(u.Message) ? "" : $": {u.Message}")}"
            : "";
        return new EnvironmentStatus(environment.Name, "swarm", environment.Port, instances,
            $"service {swarm.Service}, {instances.Count(i => i.State == "running")}/{replicas} replicas running{update}");
    }

    internal async Task RequireManagerAsync(CancellationToken cancellationToken)
    {
        var swarm = (await docker.System.GetSystemInfoAsync(cancellationToken).ConfigureAwait(false)).Swarm;
        if (swarm?.LocalNodeState != "active" || !swarm.ControlAvailable)
        {
            throw new DeploymentFailedException(
                $"The Docker engine at {DockerEngine.Endpoint} is not a Swarm manager (node state: {swarm?.LocalNodeState ?? "unknown"}" +
                $"); run 'docker swarm init' on it to use target: swarm. The build must run on a manager node: it checks the port and " +
                $"smoke-tests the service on this host.");
        }
    }

    private async Task<SwarmService?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var services =
            await docker.Swarm.ListServicesAsync(
            new ServiceListParameters { Filters = new Dictionary<string, IDictionary<string,
            bool>> { ["name"] = new Dictionary<string, bool> { [name] = true } } }, cancellationToken).ConfigureAwait(false);
        return services.FirstOrDefault(s => s.Spec?.Name == name);
    }

    private async Task<IList<TaskResponse>> TasksAsync(string serviceId, CancellationToken cancellationToken) =>
        await docker.Tasks.ListAsync(new TasksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string,
                bool>> { ["service"] = new Dictionary<string, bool> { [serviceId] = true } },
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Waits for Swarm's verdict: the rolling update completed, or every replica of a new service runs (a task
    /// with a health check only counts as running once healthy). A rollback or pause by Swarm is a failure
    /// that names the replicas' errors.
    /// </summary>
    /// <param name="previous">The version the service ran before this update: what Swarm's rollback brings back.</param>
    private async Task WaitAsync(string serviceId, DeploymentPlan plan, DateTime previousUpdate, CancellationToken cancellationToken,
        RestoredVersion? previous = null)
    {
        var environment = plan.Environment;
        var swarm = environment.Swarm!;
        var deadline = time.GetUtcNow() + environment.ReadyTimeout
            + (swarm.UpdateDelay + swarm.Monitor + environment.ReadyTimeout) * swarm.Replicas;
        while (true)
        {
            var service = await docker.Swarm.InspectServiceAsync(serviceId, cancellationToken).ConfigureAwait(false);
            var tasks = await TasksAsync(serviceId, cancellationToken).ConfigureAwait(false);
            var running = tasks.Where(t => t.Status?.State == TaskState.Running).ToList();
            var oursRunning = running.Count(t => t.Spec?.ContainerSpec?.Image == plan.Image && t.DesiredState == TaskState.Running);
            // Done only when the old replicas have stopped too: until then a request may still reach them.
            var othersRunning = running.Count(t => t.Spec?.ContainerSpec?.Image != plan.Image);
            var update = service.UpdateStatus is { } u && u.StartedAt > previousUpdate ? u : null;
            switch (update?.State)
            {
                case "rollback_completed":
                    // Swarm's own rollback is the healing: a replica that failed within `monitor` of its start (also one that
                    // died after the old replicas drained) makes Swarm run the previous spec again. The history records it.
                    throw new DeploymentFailedException(
                        $"Swarm refused {plan.Image} in '{environment.Name}' and rolled the service back to the previous version" +
                        $"{(previous is null ? "" : $", {plan.Model} {previous.Version} (automatic rollback)")}: {update.Message}." +
                        $"{SwarmTaskErrors.Of(tasks, plan.Image)}")
                    {
                        SwarmRolledBack = true,
                        Restored = previous,
                    };
                case "rollback_paused" or "paused":
                    throw new DeploymentFailedException(
                        $"Swarm {(update.State == "paused" ? "paused the update to" : "could not finish rolling back from")} {plan.Image}" +
                        $" in '{environment.Name}', so replicas of both versions may be running; look with 'docker service ps " +
                        $"{swarm.Service}': {update.Message}.{SwarmTaskErrors.Of(tasks, plan.Image)}") { SwarmRolledBack = true };
                case "rollback_started":
                    // Swarm is putting the previous version back; report once it has, so the caller sees it serving.
                    break;
                case "completed" when oursRunning >= swarm.Replicas && othersRunning == 0:
                    return;
                case null when oursRunning == swarm.Replicas && othersRunning == 0:
                    return;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new DeploymentFailedException(
                    $"{plan.Image} did not reach {swarm.Replicas} running replicas of {swarm.Service} in time ({oursRunning} running, " +
                    $"{othersRunning} of other versions still running; update state: {update?.State ?? "none"})." +
                    $"{SwarmTaskErrors.Of(tasks, plan.Image)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static RestoredVersion? PreviousVersion(SwarmService service) =>
        service.Spec?.Labels is { } labels && labels.TryGetValue(LayercakeLabels.Version, out var version)
            ? new RestoredVersion(version, labels.TryGetValue(LayercakeLabels.ImageId, out var id) ? id
                : service.Spec.TaskTemplate?.ContainerSpec?.Image ?? "?")
            : null;

    private async Task SmokeTestAsync(DeploymentPlan plan, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            await new SmokeTester(docker, logger, time)
                .CheckAsync(http, new Uri($"http://127.0.0.1:{plan.Environment.Port}/"), plan.Image, plan.Manifest, plan.Samples,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new DeploymentFailedException(
                $"{plan.Image} runs in '{plan.Environment.Name}' but failed the smoke test on port {plan.Environment.Port}: {ex.Message}",
                ex);
        }
    }
}
