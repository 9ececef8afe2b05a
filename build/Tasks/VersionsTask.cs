using Layercake.Build.Frosting;
using Layercake.Management;

namespace Layercake.Build.Tasks;

[TaskName("Versions")]
[TaskDescription("Prints --model's versions: created, primary metric, gates, and where each is deployed now and was before.")]
public sealed class VersionsTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var report = await new VersionsStage(context.ReleaseRegistry, context.DeploymentHistory)
            .RunAsync(context.Spec.Name, context.Spec.Environments.Select(e => e.Name).ToArray(), context.CancellationToken);
        ConsoleReport.Write(context, report.Title, report.Text);
        StepSummary.Append(context, report.Markdown);
    }
}
