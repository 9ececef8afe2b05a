using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Errors;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Protocols;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Environments;

/// <summary>
/// What the docker target does when the new version dies, or stops answering, once the old one has drained: the
/// old one has already closed its listener, so nothing serves the port until the previous version runs again. It
/// is started at once from the image it ran (its id, so a retagged name cannot change what comes back), on the
/// same port and with the same settings as any live version, and the deploy fails saying so.
/// </summary>
internal sealed class LocalDockerRecovery(DockerClient docker, ILogger logger)
{
    /// <summary>How long the new version must keep answering its admin port after the drain to count as serving.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <summary>Null while the new version runs and answers readiness; otherwise what went wrong.</summary>
    public async Task<string?> WhyNotServingAsync(string container, int adminPort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTimeOffset.UtcNow + Settle;
        var misses = 0;
        do
        {
            var state = (await docker.Containers.InspectContainerAsync(container, CancellationToken.None).ConfigureAwait(false)).State;
            if (state?.Running != true)
            {
                return $"exited with code {state?.ExitCode} after the old version drained";
            }

            misses = await AnswersAsync(http, adminPort).ConfigureAwait(false) ? 0 : misses + 1;
            if (misses >= 3)
            {
                return "stopped answering readiness after the old version drained";
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
        while (DateTimeOffset.UtcNow < until || misses > 0);

        return null;
    }

    /// <summary>
    /// Trial containers a killed run could not remove (their removal runs when the trial ends, which a SIGKILL skips).
    /// Safe under the environment's lock: no other deploy of this environment is trying a version now.
    /// </summary>
    public async Task RemoveStaleCandidatesAsync(string model, string environment, CancellationToken cancellationToken)
    {
        var stale = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool>
                {
                    [$"{LayercakeLabels.Model}={model}"] = true,
                    [$"{LayercakeLabels.Environment}={environment}"] = true,
                    [$"{LayercakeLabels.Role}={DeploymentLabels.Candidate}"] = true,
                },
            },
        }, cancellationToken).ConfigureAwait(false);
        foreach (var container in stale)
        {
            logger.LogWarning("Removing {Container}, a trial container an interrupted deploy left behind",
                container.Names.FirstOrDefault()?.TrimStart('/') ?? container.ID[..12]);
            try
            {
                await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (DockerContainerNotFoundException)
            {
            }
        }
    }

    /// <returns>The exception the deploy ends with: the restored version in it when the restore worked.</returns>
    public async Task<DeploymentFailedException> RestoreAsync(
        DeploymentPlan failed, ContainerListResponse previous, string failure, Func<Task<string>> removeFailed, Func<DeploymentPlan,
            Task<(string Id, int AdminPort)>> startLive)
    {
        var version = previous.Labels.TryGetValue(LayercakeLabels.Version, out var v) ? v : "?";
        var port = failed.Environment.Port;
        logger.LogError("{Image} {Failure}; starting {Version} again on port {Port}", failed.Image, failure, version, port);
        Exception? restoreFailure = null;
        try
        {
            var restore = failed with { Version = version, Image = previous.ImageID, ImageId = previous.ImageID, Kind = "rollback" };
            await startLive(restore).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            restoreFailure = error;
        }

        var logs = await removeFailed().ConfigureAwait(false);
        if (restoreFailure is { } ex)
        {
            return new DeploymentFailedException(
                $"{failed.Image} {failure}, and starting {version} again failed too ({ex.Message}); environment '" +
                    $"{failed.Environment.Name}' has nothing running. The new version's last log lines:\n{logs}", ex);
        }

        logger.LogWarning("Rolled back automatically: {Version} serves port {Port} again", version, port);
        return new DeploymentFailedException(
            $"{failed.Model} {failed.Version} ({failed.Image}) {failure}; it was removed and {failed.Model} {version} was started again " +
                $"on port {port} (automatic rollback). Its last log lines:\n{logs}")
        {
            Restored = new RestoredVersion(version, previous.ImageID),
        };
    }

    private static async Task<bool> AnswersAsync(HttpClient http, int port)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{OpenInferencePaths.HealthReady}"))
                .ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
