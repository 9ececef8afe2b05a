using Cake.Common.Diagnostics;
using Cake.Core;
using Layercake.Build.Frosting;
using Layercake.Monitoring;

namespace Layercake.Build.Tasks;

[TaskName("Monitor")]
[TaskDescription(
    "Compares a deployed model's prediction log with its training profile: feature and prediction drift, data quality, live quality with " +
    "--feedback. Exit code 3 on a breach.")]
public sealed class MonitorTask(MonitorStage stage, TimeProvider time) : AsyncFrostingTask<BuildContext>
{
    /// <summary>The build's exit code when monitoring finds a breach; 1 stays "the build itself failed".</summary>
    public const int BreachExitCode = 3;

    public override async Task RunAsync(BuildContext context)
    {
        var settings = context.Settings;
        var sinceLast = settings.Since == "last";
        var since = settings.Since is { } text && !sinceLast ? MonitorSince.Parse(text, time.GetUtcNow()) : (DateTimeOffset?)null;
        var request =
            new MonitorRequest(context.Spec, settings.EnvironmentName, settings.RequestedVersion, settings.PredictionLog,
            settings.FeedbackFile, since)
        {
            SinceLastRun = sinceLast,
        };
        var outcome = await stage.RunAsync(request, context.CancellationToken);
        ConsoleReport.Write(context, outcome.Title, outcome.Table);
        StepSummary.Append(context, outcome.Markdown);
        if (!outcome.Healthy)
        {
            throw new CakeException(BreachExitCode, outcome.BreachMessage);
        }

        context.Information(outcome.HealthyMessage);
    }
}
