using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Shared.Docker;

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
        await ServerImage.PublishServerAsync(context);

        var (tag, _) = await new ImageStage(docker, context.Logger).RunAsync(context.Paths.ServingPublish, version, context.SourceUrl, context.CancellationToken);
        context.ImageTag = tag;
    }
}
