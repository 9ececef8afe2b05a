using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Shared.Docker;

namespace Layercake.Build.Tasks;

[TaskName("Status")]
[TaskDescription("Prints what runs in --environment (version, image, since when, health) and its latest deployments.")]
public sealed class StatusTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.DeployEnvironment;
        using var docker = await DockerEngine.ConnectAsync(context.CancellationToken);
        var report = await new StatusStage(docker, context.DeploymentHistory, context.Logger, context.Time)
            .RunAsync(context.Spec.Name, environment, context.CancellationToken);
        ConsoleReport.Write(context, report.InstancesTitle, report.InstancesTable);
        ConsoleReport.Write(context, report.RecentTitle, report.RecentTable);
        StepSummary.Append(context, report.Markdown);
    }
}
