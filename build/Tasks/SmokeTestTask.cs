using Docker.DotNet;
using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Shared.Docker;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("SmokeTest")]
[TaskDescription(
    "Starts the image on a free loopback port and checks both protocols serve samples.json as packaged; removes the container after.")]
[IsDependentOn(typeof(BuildImageTask))]
public sealed class SmokeTestTask(CurrentVersion current, Func<CancellationToken, Task<DockerClient>> connect, ILogger logger,
    TimeProvider time)
    : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var version = await current.GetAsync();
        using var docker = await connect(context.CancellationToken);
        var result = await new SmokeTestStage(docker, logger, time).RunAsync(version, context.ImageTag, context.CancellationToken);
        StepSummary.Append(context, result.Markdown);
    }
}
