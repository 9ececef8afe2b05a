using System.Globalization;
using Docker.DotNet;
using Layercake.Registry;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Scoring;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Images;

/// <summary>Builds <c>layercake/&lt;model&gt;:&lt;version&gt;</c> from the published server and a registered package.</summary>
internal sealed class ServingImageBuild(DockerClient docker, ILogger logger)
{
    public async Task<(string Tag, string Id)> RunAsync(string publishDirectory, RegisteredVersion version, string source, CancellationToken cancellationToken)
    {
        var image = await DescribeAsync(publishDirectory, version, source, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Building {Tag} from {Size:F1} MB of layers (FROM scratch, no registry needed)", image.Tag, image.Layers.Sum(l => l.Bytes.Length) / 1e6);
        var id = await new ImageLoader(docker, logger).LoadAsync(image, cancellationToken).ConfigureAwait(false);
        return (image.Tag, id);
    }

    /// <summary>The image of a version, without an engine: what Reproduce compares with the registered image's id.</summary>
    public static async Task<ImageContent> DescribeAsync(string publishDirectory, RegisteredVersion version, string source, CancellationToken cancellationToken)
    {
        var manifest = version.Manifest;
        var tag = ServingImageName.Of(version.Pipeline, version.Version.ToString());
        var labels = new Dictionary<string, string>
        {
            ["org.opencontainers.image.title"] = ServingImageName.Repository(version.Pipeline),
            ["org.opencontainers.image.version"] = version.Version.ToString(),
            ["org.opencontainers.image.revision"] = manifest.Lineage.GitCommit,
            // The package's creation time (the source's date), not the build's, so two builds of one commit give one image.
            ["org.opencontainers.image.created"] = manifest.Created.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["org.opencontainers.image.source"] = source,
            [LayercakeLabels.Model] = version.Pipeline,
            [LayercakeLabels.Version] = version.Version.ToString(),
            [LayercakeLabels.ManifestSha256] = await Sha256.OfFileAsync(Path.Combine(version.Directory, "manifest.json"), cancellationToken).ConfigureAwait(false),
        };

        ImageLayer[] layers =
        [
            await ServingImageContent.ServerLayerAsync(publishDirectory, cancellationToken, manifest.Scorer?.Serves != ScorerNames.Managed).ConfigureAwait(false),
            await ServingImageContent.ModelLayerAsync(version.Directory, cancellationToken).ConfigureAwait(false),
        ];
        return new ImageContent(tag, ServingImageContent.Config(labels, manifest.Created), layers, ServingImageContent.History);
    }
}
