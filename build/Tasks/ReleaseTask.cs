using Layercake.Build.Frosting;
using Layercake.Management;

namespace Layercake.Build.Tasks;

[TaskName("Release")]
[TaskDescription("Records the packaged, gated, smoke-tested version in the registry: a GitHub release with its assets when GITHUB_TOKEN and the repository are set, else the local registry.")]
[IsDependentOn(typeof(SmokeTestTask))]
public sealed class ReleaseTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var version = await context.CurrentVersionAsync();
        var report = await new ReleaseStage(context.ReleaseRegistry, context.Logger).RunAsync(version, context.CancellationToken);
        StepSummary.Append(context, report.Markdown);
    }
}
