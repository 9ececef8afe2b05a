using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Shared.Docker;

namespace Layercake.Build.Tasks;

[TaskName("SmokeTest")]
[TaskDescription("Starts the image on a free loopback port and checks both protocols serve samples.json as packaged; removes the container after.")]
[IsDependentOn(typeof(BuildImageTask))]
public sealed class SmokeTestTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var version = await context.CurrentVersionAsync();
        using var docker = await DockerEngine.ConnectAsync(context.CancellationToken);
        var result = await new SmokeTestStage(docker, context.Logger, context.Time).RunAsync(version, context.ImageTag, context.CancellationToken);
        StepSummary.Append(context, result.Markdown);
    }
}
