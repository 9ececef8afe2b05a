using Layercake.Build.Frosting;
using Layercake.Management;
using Layercake.Management.Releases;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Release")]
[TaskDescription(
    "Records the packaged, gated, smoke-tested version in the registry: a GitHub release with its assets when GITHUB_TOKEN and the " +
    "repository are set, else the local registry.")]
[IsDependentOn(typeof(SmokeTestTask))]
public sealed class ReleaseTask(CurrentVersion current, IModelRegistry releases, ILogger logger) : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var version = await current.GetAsync();
        var report = await new ReleaseStage(releases, logger).RunAsync(version, context.CancellationToken);
        StepSummary.Append(context, report.Markdown);
    }
}
