using Layercake.Build.Frosting;
using Layercake.Shared.Docker;

namespace Layercake.Build.Tasks;

[TaskName("BuildImage")]
[TaskDescription("Publishes the model server (NativeAOT) and builds the layercake/<model>:<version> image FROM scratch, with no registry.")]
[IsDependentOn(typeof(PackageTask))]
public sealed class BuildImageTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var version = await context.CurrentVersionAsync();
        using var docker = await DockerEngine.ConnectAsync(context.CancellationToken);
        var (tag, _) = await LongStep.RunAsync(context, $"Image {version.Pipeline}:{version.Version}: NativeAOT publish, then build…",
            () => context.ServerImage.BuildAsync(docker, version, context.CancellationToken));
        context.ImageTag = tag;
    }
}
