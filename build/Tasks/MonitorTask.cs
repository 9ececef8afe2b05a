using Cake.Core;
using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Monitoring;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Profiles;
using Layercake.Shared.Docker;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Monitor")]
[TaskDescription("Compares a deployed model's prediction log with its training profile: feature and prediction drift, data quality, live quality with --feedback. Exit code 3 on a breach.")]
public sealed class MonitorTask : AsyncFrostingTask<BuildContext>
{
    /// <summary>The build's exit code when monitoring finds a breach; 1 stays "the build itself failed".</summary>
    public const int BreachExitCode = 3;

    public override async Task RunAsync(BuildContext context)
    {
        var model = context.Spec.Name;
        var version = await MonitoredVersionAsync(context, model);
        var output = Path.Combine(context.Paths.Artifacts, "monitor", model);
        var log = context.PredictionLog ?? await FetchAsync(context, model, version.Version.ToString());
        var profile = await PackageJson.ReadAsync<DataProfile>(Path.Combine(version.Directory, "profile.json"), context.CancellationToken);
        var feedback = context.FeedbackFile is { } file ? await FeedbackLabels.ReadAsync(file, context.CancellationToken) : null;

        var analyzer = new MonitorAnalyzer(profile, version.Manifest, context.Spec.Monitoring, context.Spec.SourceFile);
        var report = await analyzer.AnalyzeAsync(PredictionLogReader.Files(log, context.MonitorSince), context.MonitorSince, feedback, context.Time.GetUtcNow(), context.CancellationToken);
        await MonitorReportWriter.WriteAsync(report, output, context.CancellationToken);

        ConsoleReport.Write(context, $"Monitoring {model} {version.Version}: {report.Log.Rows:N0} predictions, {report.Windows.Count} window(s) of {report.Window}; dataset drift {(report.DatasetDrift.Drifted ? "YES" : "no")} ({report.DatasetDrift.DriftedColumns} of {report.DatasetDrift.Columns} columns)", MonitorReportWriter.Table(report));
        StepSummary.Append(context, MonitorReportWriter.Markdown(report));
        if (!report.Healthy)
        {
            try
            {
                await MonitoringBreach.ReportAsync(context, model, version.Version.ToString(), report, Path.Combine(output, MonitorReportWriter.HtmlFile));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The breach is the result; failing to tell GitHub about it must not turn exit 3 into "the task failed".
                context.Logger.LogError("Could not report the breach to GitHub: {Message}", ex.Message);
            }

            throw new CakeException(BreachExitCode, $"monitoring {model} {version.Version} found {report.Breaches.Count} breach(es):\n  {string.Join("\n  ", report.Breaches)}\nReport: {Path.Combine(output, MonitorReportWriter.HtmlFile)}");
        }
    }

    private static async Task<string> FetchAsync(BuildContext context, string model, string version)
    {
        var environment = context.EnvironmentName
            ?? throw new ArgumentException("Monitor needs a prediction log: --environment=NAME reads the Docker volume layercake-<model>-<environment>-predictions, or --log=PATH a file or folder.");
        using var docker = await DockerEngine.ConnectAsync(context.CancellationToken);
        // Outside artifacts/monitor/, which workflows upload: the raw log holds every production request's inputs.
        var destination = Path.Combine(context.Paths.Artifacts, "monitor-fetched", $"{model}-{environment}");
        var fetcher = new PredictionLogFetcher(docker, context.Logger);
        var preferred = ImageStage.TagFor(model, version);
        var image = await fetcher.ImageForAsync(model, preferred, context.CancellationToken)
            ?? throw new InvalidOperationException($"No image of {model} is in the local Docker engine ({preferred} or another version); one is needed to mount the volume. Run --target=BuildImage.");
        return await fetcher.FetchAsync(PredictionLogVolume.NameFor(model, environment), image, destination, context.CancellationToken);
    }

    /// <summary>--version if given; else the version live in --environment (its log is mostly that version's); else the latest.</summary>
    private static async Task<Layercake.Management.Registry.RegisteredVersion> MonitoredVersionAsync(BuildContext context, string model)
    {
        if (context.RequestedVersion is null && context.EnvironmentName is { } environment
            && await Layercake.Deployment.History.LiveDeployment.FindAsync(context.DeploymentHistory, model, environment, context.CancellationToken) is { } live)
        {
            return await context.ReleaseRegistry.FetchAsync(model, Layercake.Management.Registry.SemanticVersion.Parse(live.Version, $"the version live in {environment}"), context.CancellationToken);
        }

        return await RegisteredVersions.OfModelAsync(context, model);
    }
}
