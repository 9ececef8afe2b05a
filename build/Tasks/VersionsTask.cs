using Layercake.Build.Frosting;
using Layercake.Deployment.History;
using Layercake.Management;
using Layercake.Management.Releases;

namespace Layercake.Build.Tasks;

[TaskName("Versions")]
[TaskDescription("Prints --model's versions: created, primary metric, gates, and where each is deployed now and was before.")]
public sealed class VersionsTask(IModelRegistry releases, IDeploymentHistory history) : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var report = await new VersionsStage(releases, history)
            .RunAsync(context.Spec.Name, context.Spec.Environments.Select(e => e.Name).ToArray(), context.CancellationToken);
        ConsoleReport.Write(context, report.Title, report.Text);
        StepSummary.Append(context, report.Markdown);
    }
}
