using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.MSBuild;
using Cake.Common.Tools.DotNet.Publish;
using Docker.DotNet;
using Layercake.Deployment;
using Layercake.Management.Registry;
using Layercake.Runtime.Containers;
using Layercake.Shared.IO;
using Layercake.Shared.Lineage;
using Microsoft.Extensions.Logging;

namespace Layercake.Build;

/// <summary>The serving image of a version: published and built by BuildImage, or reused by Promote and Rollback.</summary>
public static class ServerImage
{
    /// <summary>
    /// The version's image when the engine has it, built from this very package (its manifest's sha256 label);
    /// otherwise publishes the server if needed and builds it.
    /// </summary>
    public static async Task<string> EnsureAsync(BuildContext context, DockerClient docker, RegisteredVersion version)
    {
        var tag = ImageStage.TagFor(version.Pipeline, version.Version.ToString());
        var manifestSha = await Sha256.OfFileAsync(Path.Combine(version.Directory, "manifest.json"), context.CancellationToken);
        try
        {
            var image = await docker.Images.InspectImageAsync(tag, context.CancellationToken);
            if (image.Config.Labels?.TryGetValue(LayercakeLabels.ManifestSha256, out var label) == true && label == manifestSha)
            {
                context.Logger.LogInformation("Reusing the image {Tag}: it was built from this package", tag);
                return tag;
            }

            context.Logger.LogInformation("Rebuilding {Tag}: the engine's image was built from another package", tag);
        }
        catch (DockerImageNotFoundException)
        {
            context.Logger.LogInformation("Building {Tag}: the engine does not have it", tag);
        }

        await PublishServerAsync(context);
        await new ImageStage(docker, context.Logger).RunAsync(context.Paths.ServingPublish, version, context.SourceUrl, context.CancellationToken);
        return tag;
    }

    /// <summary>
    /// A NativeAOT publish takes most of a minute and relinks every time, so it is skipped when the server's
    /// sources, the runtime library's and the build settings are what the last publish was made from.
    /// </summary>
    public static async Task PublishServerAsync(BuildContext context)
    {
        var source = context.Paths.SourceRoot;
        var inputs = new Dictionary<string, string>
        {
            ["sources"] = await SourceTreeHash.OfAsync(
                [
                    Path.Combine(source, "src", "Layercake.Serving"), Path.Combine(source, "src", "Layercake.Runtime"),
                    Path.Combine(source, "Directory.Build.props"), Path.Combine(source, "Directory.Packages.props"), Path.Combine(source, "global.json"),
                ], context.CancellationToken),
        };
        var publish = context.Paths.ServingPublish;
        if (await StageCache.WhyStaleAsync(publish, inputs, [ServingContainer.ServerBinary], context.CancellationToken) is not { } reason)
        {
            context.Logger.LogInformation("Skipping the server publish: its sources are unchanged since {Directory} was published", publish);
            return;
        }

        context.Logger.LogInformation("Publishing the model server (NativeAOT) because {Reason}", reason);
        // Publish into an empty folder: the image takes every native library in it, so none may be left from an older publish.
        if (Directory.Exists(publish))
        {
            Directory.Delete(publish, recursive: true);
        }

        context.DotNetPublish(context.Paths.ServingProject, new DotNetPublishSettings
        {
            Configuration = "Release",
            Runtime = "linux-x64",
            OutputDirectory = publish,
            Verbosity = DotNetVerbosity.Quiet,
            MSBuildSettings = new DotNetMSBuildSettings().WithProperty("PublishAot", "true"),
        });
        await StageCache.WriteAsync(publish, "publish-server", inputs, [ServingContainer.ServerBinary], context.Time, context.CancellationToken);
    }
}
