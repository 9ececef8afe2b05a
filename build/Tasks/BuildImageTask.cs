using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.MSBuild;
using Cake.Common.Tools.DotNet.Publish;
using Layercake.Build.Frosting;
using Layercake.Containers;
using Layercake.IO;
using Layercake.Lineage;
using Layercake.Stages;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("BuildImage")]
[TaskDescription("Publishes the model server (NativeAOT) and builds the layercake/<model>:<version> image FROM scratch, with no registry.")]
[IsDependentOn(typeof(PackageTask))]
public sealed class BuildImageTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var version = await RegisteredVersions.CurrentAsync(context);
        using var docker = await DockerEngine.ConnectAsync(context.CancellationToken);
        await PublishServerAsync(context);

        var (tag, _) = await new ImageStage(docker, context.Logger).RunAsync(context.Paths.ServingPublish, version, context.SourceUrl, context.CancellationToken);
        context.ImageTag = tag;
    }

    /// <summary>
    /// A NativeAOT publish takes most of a minute and relinks every time, so it is skipped when the server's
    /// sources, the runtime library's and the build settings are what the last publish was made from.
    /// </summary>
    private static async Task PublishServerAsync(BuildContext context)
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
        if (await StageCache.WhyStaleAsync(publish, inputs, [ImageContext.ServerBinary], context.CancellationToken) is not { } reason)
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
        await StageCache.WriteAsync(publish, "publish-server", inputs, [ImageContext.ServerBinary], context.Time, context.CancellationToken);
    }
}
