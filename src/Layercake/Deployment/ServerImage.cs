using Docker.DotNet;
using Layercake.Deployment.BillOfMaterials;
using Layercake.Deployment.Images;
using Layercake.Registry;
using Layercake.Runtime.Containers;
using Layercake.Shared.IO;
using Layercake.Shared.Lineage;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment;

/// <summary>The serving image of a version: published and built by BuildImage, or reused by Promote and Rollback.</summary>
/// <param name="sourceRoot">The repository the server is built from: its sources decide whether to publish again.</param>
/// <param name="publishDirectory">Where the server is published, and the image takes it from.</param>
/// <param name="sourceUrl">Where the code lives, for the image's labels.</param>
public sealed class ServerImage(IServerPublisher publisher, string sourceRoot, string publishDirectory, string sourceUrl, ILogger logger,
    TimeProvider time)
{
    /// <summary>
    /// The version's image when the engine has it, built from this very package (its manifest's sha256 label);
    /// otherwise publishes the server if needed and builds it.
    /// </summary>
    public async Task<string> EnsureAsync(DockerClient docker, RegisteredVersion version, CancellationToken cancellationToken)
    {
        var tag = ServingImageName.Of(version.Pipeline, version.Version.ToString());
        var manifestSha = await Sha256.OfFileAsync(Path.Combine(version.Directory, "manifest.json"), cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var image = await docker.Images.InspectImageAsync(tag, cancellationToken).ConfigureAwait(false);
            if (image.Config?.Labels?.TryGetValue(LayercakeLabels.ManifestSha256, out var label) == true && label == manifestSha)
            {
                logger.LogInformation("Reusing the image {Tag}: it was built from this package", tag);
                return tag;
            }

            logger.LogInformation("Rebuilding {Tag}: the engine's image was built from another package", tag);
        }
        catch (DockerImageNotFoundException)
        {
            logger.LogInformation("Building {Tag}: the engine does not have it", tag);
        }

        return (await BuildAsync(docker, version, cancellationToken).ConfigureAwait(false)).Tag;
    }

    /// <summary>BuildImage: publishes the server if needed and builds the version's image.</summary>
    public async Task<(string Tag, string Id)> BuildAsync(DockerClient docker, RegisteredVersion version,
        CancellationToken cancellationToken)
    {
        await PublishServerAsync(cancellationToken).ConfigureAwait(false);
        var build = new ServingImageBuild(docker, new CycloneDxTool(sourceRoot), CycloneDxTool.ServerProject(sourceRoot), logger);
        return await build.RunAsync(publishDirectory, version, sourceUrl, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A NativeAOT publish takes most of a minute and relinks every time, so it is skipped when the server's
    /// sources, the runtime library's and the build settings are what the last publish was made from.
    /// </summary>
    public async Task PublishServerAsync(CancellationToken cancellationToken)
    {
        var source = sourceRoot;
        var inputs = new Dictionary<string, string>
        {
            ["sources"] = await SourceTreeHash.OfAsync(
                [
                    Path.Combine(source, "src", "Layercake.Serving"), Path.Combine(source, "src", "Layercake.Runtime"),
                    Path.Combine(source, "Directory.Build.props"), Path.Combine(source, "Directory.Packages.props"),
                        Path.Combine(source, "global.json"),
                ], cancellationToken).ConfigureAwait(false),
        };
        var publish = publishDirectory;
        if (await StageCache.WhyStaleAsync(publish, inputs, [ServingContainer.ServerBinary], cancellationToken)
            .ConfigureAwait(false) is not { } reason)
        {
            logger.LogInformation("Skipping the server publish: its sources are unchanged since {Directory} was published", publish);
            return;
        }

        logger.LogInformation("Publishing the model server (NativeAOT) because {Reason}", reason);
        // Publish into an empty folder: the image takes every native library in it, so none may be left from an older publish.
        if (Directory.Exists(publish))
        {
            Directory.Delete(publish, recursive: true);
        }

        await publisher.PublishAsync(publish, cancellationToken).ConfigureAwait(false);
        await StageCache.WriteAsync(publish, "publish-server", inputs, [ServingContainer.ServerBinary], time, cancellationToken)
            .ConfigureAwait(false);
    }
}
