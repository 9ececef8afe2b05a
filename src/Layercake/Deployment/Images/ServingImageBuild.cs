using System.Globalization;
using Docker.DotNet;
using Layercake.Deployment.BillOfMaterials;
using Layercake.Registry;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Scoring;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Images;

/// <summary>
/// Builds <c>layercake/&lt;model&gt;:&lt;version&gt;</c> from the published server and a registered package, with its
/// bill of materials in the image and in the package folder.
/// </summary>
/// <param name="serverProject">The server's project whose NuGet packages the bill of materials lists.</param>
internal sealed class ServingImageBuild(DockerClient docker, CycloneDxTool sbomTool, string serverProject, ILogger logger)
{
    public async Task<(string Tag, string Id)> RunAsync(string publishDirectory, RegisteredVersion version, string source,
        CancellationToken cancellationToken)
    {
        var image = await DescribeAsync(publishDirectory, version, source, sbomTool, serverProject, cancellationToken)
            .ConfigureAwait(false);
        logger.LogInformation("Building {Tag} from {Size:F1} MB of layers (FROM scratch, no registry needed)", image.Tag,
            image.Layers.Sum(l => l.Bytes.Length) / 1e6);
        var id = await new ImageLoader(docker, logger).LoadAsync(image, cancellationToken).ConfigureAwait(false);
        var sbom = Path.Combine(version.Directory, ImageBillOfMaterials.FileName);
        await AtomicFile.WriteAsync(sbom, (stream, token) => stream.WriteAsync(image.BillOfMaterials, token).AsTask(), cancellationToken)
            .ConfigureAwait(false);
        logger.LogInformation("Wrote the image's bill of materials (CycloneDX) to {Path}", sbom);
        return (image.Tag, id);
    }

    /// <summary>The image of a version, without an engine: what Reproduce compares with the registered image's id.</summary>
    public static async Task<ImageContent> DescribeAsync(
        string publishDirectory, RegisteredVersion version, string source, CycloneDxTool sbomTool, string serverProject,
            CancellationToken cancellationToken)
    {
        var manifest = version.Manifest;
        var tag = ServingImageName.Of(version.Pipeline, version.Version.ToString());
        var serverFiles =
            await ServingImageContent.ServerFilesAsync(publishDirectory, manifest.Scorer?.Serves != ScorerNames.Managed, cancellationToken)
            .ConfigureAwait(false);
        var nuget = await sbomTool.NuGetPackagesAsync(serverProject, cancellationToken).ConfigureAwait(false);
        var subject =
            new BillOfMaterialsSubject(ServingImageName.Repository(version.Pipeline), version.Version.ToString(), manifest.Created);
        var sbom = await ImageBillOfMaterials.WriteAsync(
            subject, nuget, [.. serverFiles, .. ServingImageContent.ModelFiles(version.Directory)], cancellationToken,
            CompiledRuntime.ComponentsOf(serverProject)).ConfigureAwait(false);

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
            [LayercakeLabels.ManifestSha256] = await Sha256.OfFileAsync(Path.Combine(version.Directory, "manifest.json"), cancellationToken)
                .ConfigureAwait(false),
            [ImageBillOfMaterials.Sha256Label] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(sbom)),
        };

        ImageLayer[] layers =
        [
            await ServingImageContent.ServerLayerAsync(serverFiles, cancellationToken).ConfigureAwait(false),
            await ServingImageContent.ModelLayerAsync(version.Directory, cancellationToken, sbom).ConfigureAwait(false),
        ];
        return new ImageContent(tag, ServingImageContent.Config(labels, manifest.Created), layers,
            ServingImageContent.History) { BillOfMaterials = sbom };
    }
}
