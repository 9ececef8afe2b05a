using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Runtime.Containers;
using Layercake.Shared.Errors;
using Microsoft.Extensions.Logging;

namespace Layercake.Monitoring.Logs;

/// <summary>
/// Copies an environment's prediction log out of its Docker named volume (<see cref="PredictionLogVolume"/>, mounted
/// in serving containers at <see cref="ServingContainer.PredictionLogDirectory"/>). No base image can be pulled here,
/// so the model's own image carries the mount: a container is created from it (never started), the folder is read
/// through the archive API, and the container is removed. The volume is mounted read-only, so fetching can never
/// change the log.
/// </summary>
internal sealed class PredictionLogFetcher(DockerClient docker, ILogger logger)
{
    /// <summary>
    /// An image to mount the volume with: <paramref name="preferred"/> if the engine has it, else any local image of
    /// the model (any of them has the mount point), else null.
    /// </summary>
    public async Task<string?> ImageForAsync(string model, string preferred, CancellationToken cancellationToken)
    {
        var images = await docker.Images.ListImagesAsync(new ImagesListParameters
        {
            Filters = new Dictionary<string, IDictionary<string,
                bool>> { ["reference"] = new Dictionary<string, bool> { [ServingImageName.Repository(model)] = true } },
        }, cancellationToken).ConfigureAwait(false);
        var tags = images.OrderByDescending(i => i.Created).SelectMany(i => i.RepoTags ?? []).ToArray();
        return tags.Contains(preferred) ? preferred : tags.FirstOrDefault();
    }

    /// <summary>
    /// Brings <paramref name="destination"/> up to date with the volume: copies only the files that can hold rows at
    /// or after <paramref name="since"/> and have changed since <paramref name="previous"/> (<see cref="IncrementalLogCopy"/>);
    /// returns the folder holding the files and what it now holds.
    /// </summary>
    public async Task<(string Folder, LogFetchState State)> FetchAsync(string volume, string image, string destination,
        DateTimeOffset? since, LogFetchState previous, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Volumes.InspectAsync(volume, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException(
                $"There is no Docker volume '{volume}': has this model been deployed to that environment with its prediction log on? (A " +
                $"log can also be read from a file or folder.)", ex);
        }

        CreateContainerResponse created;
        try
        {
            created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = image,
                // Never started; Docker only insists on a command for images without an entry point.
                Cmd = ["not-started"],
                Name = $"layercake-fetch-log-{Guid.NewGuid():N}"[..40],
                Labels = new Dictionary<string, string> { [LayercakeLabels.Purpose] = "fetch-prediction-log" },
                HostConfig = new HostConfig { Binds = [$"{volume}:{ServingContainer.PredictionLogDirectory}:ro"], NetworkMode = "none" },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw ImageNotFoundException.For(image, $"; it is needed to mount the volume '{volume}'", ex);
        }

        try
        {
            var archive =
                await docker.Containers.GetArchiveFromContainerAsync(created.ID,
                new ContainerPathStatParameters { Path = ServingContainer.PredictionLogDirectory }, statOnly: false, cancellationToken)
                .ConfigureAwait(false);
            var stream = archive.Stream
                ?? throw new InvalidOperationException(
                $"The Docker engine sent no archive of {ServingContainer.PredictionLogDirectory} from the volume '{volume}'.");
            await using (stream.ConfigureAwait(false))
            {
                // Read once from the engine: files that cannot hold new rows are read past, never written.
                var (state, copied, unchanged, older, bytes) =
                    await IncrementalLogCopy.CopyAsync(stream, destination, since, previous, cancellationToken).ConfigureAwait(false);
                logger.LogInformation(
                    "Prediction log from the volume {Volume}: copied {Copied} file(s) ({Megabytes:0.#} MB), {Unchanged} unchanged since " +
                    "the last run, {Older} older than the start time; {Destination}",
                    volume, copied, bytes / 1e6, unchanged, older, destination);
                return (destination, state);
            }
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None)
                .ConfigureAwait(false);
        }
    }
}
