using Layercake.Build.Frosting;
using Docker.DotNet;
using Layercake.Deployment;

namespace Layercake.Build.Tasks;

[TaskName("BuildImage")]
[TaskDescription("Publishes the model server (NativeAOT) and builds the layercake/<model>:<version> image FROM scratch, with no registry.")]
[IsDependentOn(typeof(PackageTask))]
public sealed class BuildImageTask(CurrentVersion current, ServerImage image, Func<CancellationToken, Task<DockerClient>> connect)
    : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var version = await current.GetAsync();
        using var docker = await connect(context.CancellationToken);
        var (tag, _) = await LongStep.RunAsync(context, $"Image {version.Pipeline}:{version.Version}: NativeAOT publish, then build…",
            () => image.BuildAsync(docker, version, context.CancellationToken));
        context.ImageTag = tag;
    }
}
