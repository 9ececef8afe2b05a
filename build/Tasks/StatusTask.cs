using Docker.DotNet;
using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Deployment.History;
using Layercake.Shared.Docker;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Status")]
[TaskDescription("Prints what runs in --environment (version, image, since when, health) and its latest deployments.")]
public sealed class StatusTask(Func<CancellationToken, Task<DockerClient>> connect, IDeploymentHistory history, ILogger logger,
    TimeProvider time)
    : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var environment = context.DeployEnvironment;
        using var docker = await connect(context.CancellationToken);
        var report = await new StatusStage(docker, history, logger, time)
            .RunAsync(context.Spec.Name, environment, context.CancellationToken);
        ConsoleReport.Write(context, report.InstancesTitle, report.InstancesTable);
        ConsoleReport.Write(context, report.RecentTitle, report.RecentTable);
        StepSummary.Append(context, report.Markdown);
    }
}
