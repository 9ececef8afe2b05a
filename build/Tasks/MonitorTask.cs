using Cake.Common.Diagnostics;
using Cake.Core;
using Layercake.Build.Frosting;
using Layercake.Monitoring;
using Layercake.Shared.Docker;
using Layercake.Shared.GitHub;

namespace Layercake.Build.Tasks;

[TaskName("Monitor")]
[TaskDescription("Compares a deployed model's prediction log with its training profile: feature and prediction drift, data quality, live quality with --feedback. Exit code 3 on a breach.")]
public sealed class MonitorTask : AsyncFrostingTask<BuildContext>
{
    /// <summary>The build's exit code when monitoring finds a breach; 1 stays "the build itself failed".</summary>
    public const int BreachExitCode = 3;

    public override async Task RunAsync(BuildContext context)
    {
        var breach = context.GitHub is { } github ? new MonitoringBreach(GitHubClientFactory.Create(github), github, context.Logger, context.Time) : null;
        var stage = new MonitorStage(
            context.ReleaseRegistry, context.ModelRegistry, context.DeploymentHistory, DockerEngine.ConnectAsync, breach, context.Paths.Artifacts, context.Logger, context.Time);
        var outcome = await stage.RunAsync(
            new MonitorRequest(context.Spec, context.EnvironmentName, context.RequestedVersion, context.PredictionLog, context.FeedbackFile, context.MonitorSince) { SinceLastRun = context.MonitorSinceLastRun },
            context.CancellationToken);

        ConsoleReport.Write(context, outcome.Title, outcome.Table);
        StepSummary.Append(context, outcome.Markdown);
        if (!outcome.Healthy)
        {
            throw new CakeException(BreachExitCode, outcome.BreachMessage);
        }

        context.Information(outcome.HealthyMessage);
    }
}
