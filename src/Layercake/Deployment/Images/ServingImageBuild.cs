using System.Globalization;
using Docker.DotNet;
using Layercake.Deployment.Images;
using Layercake.Registry;
using Layercake.Runtime.Containers;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Images;

/// <summary>Builds <c>layercake/&lt;model&gt;:&lt;version&gt;</c> from the published server and a registered package.</summary>
internal sealed class ServingImageBuild(DockerClient docker, ILogger logger)
{
    public async Task<(string Tag, string Id)> RunAsync(string publishDirectory, RegisteredVersion version, string source, CancellationToken cancellationToken)
    {
        var manifest = version.Manifest;
        var tag = ServingImageName.Of(version.Pipeline, version.Version.ToString());
        var labels = new Dictionary<string, string>
        {
            ["org.opencontainers.image.title"] = ServingImageName.Repository(version.Pipeline),
            ["org.opencontainers.image.version"] = version.Version.ToString(),
            ["org.opencontainers.image.revision"] = manifest.Lineage.GitCommit,
            // The package's creation time, not the build's, so rebuilding the same package gives the same image.
            ["org.opencontainers.image.created"] = manifest.Created.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["org.opencontainers.image.source"] = source,
            [LayercakeLabels.Model] = version.Pipeline,
            [LayercakeLabels.Version] = version.Version.ToString(),
            [LayercakeLabels.ManifestSha256] = await Sha256.OfFileAsync(Path.Combine(version.Directory, "manifest.json"), cancellationToken).ConfigureAwait(false),
        };

        await using var context = await ImageContext.CreateAsync(publishDirectory, version.Directory, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Building {Tag} from a {Size:F1} MB context (FROM scratch, no registry needed)", tag, context.Length / 1e6);
        var id = await new ImageBuilder(docker, logger).BuildAsync(context, tag, labels, cancellationToken).ConfigureAwait(false);
        return (tag, id);
    }
}
