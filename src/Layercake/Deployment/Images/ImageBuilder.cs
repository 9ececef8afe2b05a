using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Images;

/// <summary>
/// Builds an image from a context stream through the Docker API. Docker.DotNet does not throw when a build
/// fails: the error arrives as a progress message, so every message is read and an error ends the build.
/// </summary>
internal sealed class ImageBuilder(DockerClient docker, ILogger logger)
{
    public async Task<string> BuildAsync(Stream context, string tag, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        string? error = null;
        var lines = new List<string>();
        var handler = new SynchronousProgress(message =>
        {
            if (message.Error?.Message is { Length: > 0 } failure)
            {
                error ??= failure;
            }

            if (message.Stream?.Trim() is { Length: > 0 } line)
            {
                lines.Add(line);
                logger.LogDebug("docker build: {Line}", line);
            }
        });

        await docker.Images.BuildImageFromDockerfileAsync(
            new ImageBuildParameters { Tags = [tag], Dockerfile = "Dockerfile", Remove = true, ForceRemove = true, Labels = labels.ToDictionary() },
            context,
            [],
            new Dictionary<string, string>(),
            handler,
            cancellationToken).ConfigureAwait(false);

        if (error is not null)
        {
            throw new ImageBuildException($"docker build of {tag} failed: {error.Trim()}");
        }

        var image = await docker.Images.InspectImageAsync(tag, cancellationToken).ConfigureAwait(false);
        var cached = lines.Count(l => l.Contains("Using cache", StringComparison.Ordinal));
        logger.LogInformation("Built {Tag} ({Id}, {Size:F1} MB; {Cached} of its steps from Docker's cache)", tag, image.ID[..19], image.Size / 1e6, cached);
        return image.ID;
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool, so a failure could be read after the call returned; this reports inline.</summary>
    private sealed class SynchronousProgress(Action<JSONMessage> report) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value) => report(value);
    }
}
