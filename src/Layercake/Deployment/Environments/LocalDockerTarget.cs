using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Errors;
using Layercake.Deployment.Secrets;
using Layercake.Deployment.SmokeTests;
using Layercake.Pipelines.Environments;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Protocols;
using Layercake.Runtime.Settings;
using Layercake.Shared.Docker;
using Layercake.Shared.Errors;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Environments;

/// <summary>
/// One Docker engine. A switch goes: the new version runs first as a private candidate (its own loopback
/// port) that must become ready, pass the smoke test and keep running for the watch time; then it starts
/// on the host network beside the live version, both listening on the environment's port with SO_REUSEPORT;
/// once the new one answers on its own admin port, the old one gets SIGTERM and drains. The kernel hands
/// new connections to whichever listener remains, so clients see no refused connection.
/// </summary>
internal sealed class LocalDockerTarget(DockerClient docker, ILogger logger, TimeProvider time) : IDeploymentTarget
{
    /// <summary>Beyond the drain, time for the server to flush its prediction log (it allows itself 10 s) before Docker kills it.</summary>
    internal static readonly TimeSpan FlushMargin = TimeSpan.FromSeconds(15);

    public async Task<string> DeployAsync(DeploymentPlan plan, Func<Task> live, CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        // The secrets are read and checked before anything changes: a bad one fails the deploy, naming its file.
        EnvironmentSecrets.Read(environment, Environment.GetEnvironmentVariable, time);
        await SecretMounts.Default().PruneAsync(docker, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var recovery = new LocalDockerRecovery(docker, logger);
        await recovery.RemoveStaleCandidatesAsync(plan.Model, environment.Name, cancellationToken).ConfigureAwait(false);
        var previous = await ContainersAsync(plan.Model, environment.Name, cancellationToken).ConfigureAwait(false);
        var running = previous.Where(c => c.State == "running").ToList();
        if (running.Count == 0 && !HostPort.IsFree(environment.Port))
        {
            throw new DeploymentFailedException(
                $"Port {environment.Port} of environment '{environment.Name}' is already taken by something that is not a Layercake " +
                $"deployment of {plan.Model}; stop it or choose another port in the pipeline's environments.{environment.Name}.port.");
        }

        WarnWithoutRequestMigration(running.Count > 0);
        await VerifyCandidateAsync(plan, cancellationToken).ConfigureAwait(false);

        var (started, admin) = await StartLiveAsync(plan, running.Count > 0, cancellationToken).ConfigureAwait(false);
        await EnsureStillRunningAsync(plan, started, previous).ConfigureAwait(false);
        try
        {
            await live().ConfigureAwait(false);
        }
        catch
        {
            // Not recorded as live, so it must not stay: the old version keeps the port.
            await RemoveAsync(started, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return await FinishSwitchAsync(plan, started, admin, previous, recovery, clock).ConfigureAwait(false);
    }

    /// <summary>A new version that exited as it joined the port is removed, and the running one keeps serving.</summary>
    private async Task EnsureStillRunningAsync(DeploymentPlan plan, string started, IList<ContainerListResponse> previous)
    {
        var environment = plan.Environment;
        var joined = (await docker.Containers.InspectContainerAsync(started, CancellationToken.None).ConfigureAwait(false)).State;
        if (joined?.Running != true)
        {
            var logs = await ContainerLogs.TailAsync(docker, started, CancellationToken.None).ConfigureAwait(false);
            await RemoveAsync(started, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            throw new DeploymentFailedException(
                $"{plan.Image} exited with code {joined?.ExitCode} after it joined port {environment.Port}; it was removed and " +
                $"{(previous.Count == 0 ? "nothing else was running" : string.Join(", ", previous.Select(VersionOf)) + " keeps serving")}" +
                $". Its last log lines:\n{logs}");
        }
    }

    /// <summary>
    /// The old versions drain and leave; if the new one then dies, the old one is started again. Runs to its end even after
    /// Ctrl+C, since the new version is recorded live.
    /// </summary>
    private async Task<string> FinishSwitchAsync(
        DeploymentPlan plan, string started, int admin, IList<ContainerListResponse> previous, LocalDockerRecovery recovery,
            Stopwatch clock)
    {
        var environment = plan.Environment;
        // From here the new version is recorded live and takes traffic: the switch is finished even if Ctrl+C comes.
        // If it dies while the old one drains, the old one is started again (below).
        var switchClock = Stopwatch.StartNew();
        foreach (var old in previous)
        {
            await RemoveAsync(old.ID, environment.DrainTimeout + FlushMargin, CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("Stopped {Container} ({Version}) after draining", Name(old), VersionOf(old));
        }

        if (await recovery.WhyNotServingAsync(started, admin).ConfigureAwait(false) is { } failure)
        {
            // The port is unserved now: the old version starts first, the dead one's logs and removal can wait.
            async Task<string> RemoveFailedAsync()
            {
                var logs = await ContainerLogs.TailAsync(docker, started, CancellationToken.None).ConfigureAwait(false);
                await RemoveAsync(started, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
                return logs;
            }

            var restore = previous.FirstOrDefault(c => c.State == "running") ?? previous.FirstOrDefault();
            if (restore is null)
            {
                throw new DeploymentFailedException(
                    $"{plan.Image} {failure}; environment '{environment.Name}' has nothing running (there was no earlier version to " +
                    $"restore). Its last log lines:\n{await RemoveFailedAsync().ConfigureAwait(false)}");
            }

            throw await recovery.RestoreAsync(plan, restore, failure, RemoveFailedAsync,
                p => StartLiveAsync(p, false, CancellationToken.None)).ConfigureAwait(false);
        }

        var replaced = previous.Count == 0 ? "first deployment"
            : $"{string.Join(", ", previous.Select(VersionOf))} drained and removed in {switchClock.Elapsed.TotalSeconds:F2} s";
        return $"{plan.Model} {plan.Version} live on port {environment.Port} ({replaced}; {clock.Elapsed.TotalSeconds:F1} s in all)";
    }

    public Task<bool> EngineAnswersAsync(CancellationToken cancellationToken) => EngineProbe.AnswersAsync(docker, cancellationToken);

    public async Task<EnvironmentStatus> StatusAsync(string model, EnvironmentSpec environment, CancellationToken cancellationToken)
    {
        var instances = new List<InstanceStatus>();
        foreach (var container in await ContainersAsync(model, environment.Name, cancellationToken).ConfigureAwait(false))
        {
            var inspected = await docker.Containers.InspectContainerAsync(container.ID, cancellationToken).ConfigureAwait(false);
            DateTimeOffset? since =
                DateTimeOffset.TryParse(inspected.State?.StartedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s)
                ? s : null;
            instances.Add(new InstanceStatus(Name(container), VersionOf(container), container.Image, container.ImageID,
                since, inspected.State?.Status ?? "unknown", inspected.State?.Health?.Status ?? "none"));
        }

        var note = instances.Count == 0 ? "nothing deployed" : null;
        if (instances.Count > 0)
        {
            note = await AnswersAsync(environment.Port, cancellationToken).ConfigureAwait(false)
                ? $"port {environment.Port} answers ready"
                : $"port {environment.Port} does not answer readiness";
        }

        return new EnvironmentStatus(environment.Name, "docker", environment.Port, instances, note);
    }

    /// <summary>The private trial: ready in time, the smoke test passes, and still running after the watch time.</summary>
    internal Task VerifyCandidateAsync(DeploymentPlan plan, CancellationToken cancellationToken) =>
        CandidateTrial.RunAsync(docker, plan, logger, time, cancellationToken);

    /// <summary>Starts the new version on the shared port (beside the running one, if any) and waits until it answers on its admin
    /// port.</summary>
    internal async Task<(string Id, int AdminPort)> StartLiveAsync(DeploymentPlan plan, bool besideRunning,
        CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        var admin = HostPort.FreeLoopback();
        var parameters = new CreateContainerParameters
        {
            Image = plan.Image,
            Name = $"layercake-{plan.Model}-{environment.Name}-{plan.Version}-{Guid.NewGuid().ToString("N")[..6]}",
            Labels = DeploymentLabels.For(plan),
            Env =
            [
                ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.Port, environment.Port),
                ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.ReusePort, 1),
                ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.AdminPort, admin),
                ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.PredictionLog, ServingContainer.PredictionLogDirectory),
                ServingEnvironmentVariables.Assignment(ServingEnvironmentVariables.ShutdownSeconds,
                    (int)Math.Ceiling(environment.DrainTimeout.TotalSeconds)),
            ],
            StopTimeout = TimeSpan.FromSeconds(Math.Ceiling((environment.DrainTimeout + FlushMargin).TotalSeconds)),
            HostConfig = new HostConfig
            {
                NetworkMode = "host",
                ReadonlyRootfs = true,
                RestartPolicy = new RestartPolicy { Name = RestartPolicies[environment.RestartPolicy] },
                Mounts =
                    [new Mount { Type = "volume", Source = PredictionLogVolume.NameFor(plan.Model, environment.Name),
                    Target = ServingContainer.PredictionLogDirectory }],
            },
        };
        ContainerLimits.Apply(parameters.HostConfig, environment);
        SecretMounts.Default().Apply(parameters, EnvironmentSecrets.Read(environment, Environment.GetEnvironmentVariable, time));

        var created = await docker.Containers.CreateContainerAsync(parameters, cancellationToken).ConfigureAwait(false);
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken)
                .ConfigureAwait(false);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await ContainerReadiness.WaitAsync(docker, created.ID, new Uri($"http://127.0.0.1:{admin}{OpenInferencePaths.HealthReady}"),
                http, environment.ReadyTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await RemoveAsync(created.ID, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw new DeploymentFailedException(
                $"{plan.Model} {plan.Version} passed its trial but did not come up on port {environment.Port} in '{environment.Name}'; " +
                $"it was removed and the running version stays: {ex.Message}", ex);
        }

        logger.LogInformation("{Image} listening on port {Port}{Beside}", plan.Image, environment.Port, besideRunning
            ? " beside the running version" : "; nothing else was running there");
        return (created.ID, admin);
    }

    internal async Task<IList<ContainerListResponse>> ContainersAsync(string model, string environment,
        CancellationToken cancellationToken) =>
        await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool>
                {
                    [$"{LayercakeLabels.Model}={model}"] = true,
                    [$"{LayercakeLabels.Environment}={environment}"] = true,
                    [$"{LayercakeLabels.Role}={DeploymentLabels.Live}"] = true,
                },
            },
        }, cancellationToken).ConfigureAwait(false);

    internal async Task RemoveAsync(string id, TimeSpan drain, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Containers.StopContainerAsync(id,
                new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(drain.TotalSeconds) }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DockerApiException)
        {
            // Already stopped; removing is what matters.
        }

        try
        {
            await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
        }
    }

    private static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{OpenInferencePaths.HealthReady}"), cancellationToken)
                .ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex)
            when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>Without tcp_migrate_req, connections queued on the old listener when it closes are reset.</summary>
    private void WarnWithoutRequestMigration(bool switching)
    {
        const string setting = "/proc/sys/net/ipv4/tcp_migrate_req";
        if (switching && File.Exists(setting) && File.ReadAllText(setting).Trim() == "0")
        {
            logger.LogWarning(
                "net.ipv4.tcp_migrate_req is 0 on this host: a few connections queued on the old version when it closes may be reset. " +
                "Set it to 1 (sysctl -w net.ipv4.tcp_migrate_req=1; scripts/ensure-docker.sh does so as root)");
        }
    }

    private static string VersionOf(ContainerListResponse container) =>
        container.Labels.TryGetValue(LayercakeLabels.Version, out var version) ? version : "?";

    private static string Name(ContainerListResponse container) => container.Names.FirstOrDefault()?.TrimStart('/') ?? container.ID[..12];

    internal static readonly Dictionary<string, RestartPolicyKind> RestartPolicies = new()
    {
        ["no"] = RestartPolicyKind.No,
        ["on-failure"] = RestartPolicyKind.OnFailure,
        ["always"] = RestartPolicyKind.Always,
        ["unless-stopped"] = RestartPolicyKind.UnlessStopped,
    };
}
