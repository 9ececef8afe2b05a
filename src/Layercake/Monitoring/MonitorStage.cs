using Docker.DotNet;
using Layercake.Deployment;
using Layercake.Deployment.History;
using Layercake.Management.Releases;
using Layercake.Monitoring.Logs;
using Layercake.Monitoring.Quality;
using Layercake.Monitoring.Reports;
using Layercake.Registry;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Profiles;
using Layercake.Shared.Errors;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Monitoring;

/// <summary>
/// The Monitor task: a deployed version's prediction log against its training profile (feature and prediction
/// drift, data quality, live quality with feedback), written to <c>&lt;artifacts&gt;/monitor/&lt;model&gt;/</c>; a breach is
/// reported to GitHub when <paramref name="breach"/> is given.
/// </summary>
/// <param name="releases">Where the version live in an environment is fetched from.</param>
/// <param name="registry">The local registry, for the version asked for or the latest when nothing is live.</param>
/// <param name="connect">Reaches the Docker engine, only to read an environment's log volume.</param>
public sealed class MonitorStage(
    IModelRegistry releases,
    LocalModelRegistry registry,
    IDeploymentHistory history,
    Func<CancellationToken, Task<DockerClient>> connect,
    MonitoringBreach? breach,
    string artifacts,
    ILogger logger,
    TimeProvider time)
{
    public async Task<MonitorOutcome> RunAsync(MonitorRequest request, CancellationToken cancellationToken)
    {
        var spec = request.Spec;
        var model = spec.Name;
        var version = await MonitoredVersionAsync(request, cancellationToken).ConfigureAwait(false);
        var output = Path.Combine(artifacts, "monitor", model);
        if (request.SinceLastRun && (request.Log is not null || request.Environment is null))
        {
            throw new InvalidSettingException(SettingNames.Since, "last",
                "resumes where the last monitoring of an environment stopped, so it needs an environment; for a log file or folder, give " +
                "a time or a duration.");
        }

        var statePath = request.Environment is { } environment ? Path.Combine(FetchedFolder(model, environment) + ".state.json") : null;
        var previous = statePath is not null && File.Exists(statePath)
            ? await PackageJson.ReadAsync<LogFetchState>(statePath, cancellationToken).ConfigureAwait(false) : LogFetchState.Empty;
        // A row at exactly the last row's time was read last time; the next tick is the first one not read.
        var since = request.SinceLastRun ? previous.LastRow?.AddTicks(1) : request.Since;
        if (request.SinceLastRun)
        {
            logger.LogInformation("Since the last run: {Since}", since is { } s
                ? $"rows after {s:yyyy-MM-ddTHH:mm:ss.fffZ}, where the last run stopped" : "no earlier run recorded, so the whole log");
        }

        string log;
        var state = previous;
        if (request.Log is { } given)
        {
            log = given;
        }
        else
        {
            (log, state) = await FetchAsync(model, request.Environment, version.Version.ToString(), since, previous, cancellationToken)
                .ConfigureAwait(false);
        }

        var profile = await PackageJson.ReadAsync<DataProfile>(Path.Combine(version.Directory, "profile.json"), cancellationToken)
            .ConfigureAwait(false);
        var feedback = request.Feedback is { } file ? await FeedbackLabels.ReadAsync(file, cancellationToken).ConfigureAwait(false) : null;

        var analyzer = new MonitorAnalyzer(profile, version.Manifest, spec.Monitoring, spec.SourceFile);
        var report =
            await analyzer.AnalyzeAsync(PredictionLogReader.Files(log, since), since, feedback, time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        await MonitorReportWriter.WriteAsync(report, output, cancellationToken).ConfigureAwait(false);
        if (statePath is not null)
        {
            await AtomicFile.WriteAllTextAsync(statePath,
                PackageJson.Serialize(state with { LastRow = Later(report.Until, previous.LastRow) }), cancellationToken)
                .ConfigureAwait(false);
        }

        var outcome = new MonitorOutcome(model, version.Version.ToString(), report, output);
        await ReportBreachAsync(outcome, request.Environment, report, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Tells GitHub of a breach, where it is configured; a failure to tell it is logged, not thrown.</summary>
    private async Task ReportBreachAsync(MonitorOutcome outcome, string? environment, MonitorReport report,
        CancellationToken cancellationToken)
    {
        if (outcome.Healthy || breach is null)
        {
            return;
        }

        try
        {
            await breach.ReportAsync(outcome.Model, outcome.Version, environment ?? "the given log", report, outcome.ReportPath,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The breach is the result; failing to tell GitHub about it must not turn a breach into "the task failed".
            logger.LogError("Could not report the breach to GitHub: {Message}", ex.Message);
        }
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    // Outside artifacts/monitor/, which workflows upload: the raw log holds every production request's inputs.
    private string FetchedFolder(string model, string environment) => Path.Combine(artifacts, "monitor-fetched", $"{model}-{environment}");

    private async Task<(string Folder, LogFetchState State)> FetchAsync(string model, string? environment, string version,
        DateTimeOffset? since, LogFetchState previous, CancellationToken cancellationToken)
    {
        if (environment is null)
        {
            throw new ArgumentException(
                "Monitoring needs a prediction log: an environment's (the Docker volume layercake-<model>-<environment>-predictions), or " +
                "a log file or folder.");
        }

        using var docker = await connect(cancellationToken).ConfigureAwait(false);
        var destination = FetchedFolder(model, environment);
        var fetcher = new PredictionLogFetcher(docker, logger);
        var preferred = ServingImageName.Of(model, version);
        var image = await fetcher.ImageForAsync(model, preferred, cancellationToken).ConfigureAwait(false)
            ?? throw new ImageNotFoundException(model, null,
                $"No image of {model} is in the local Docker engine ({preferred} or another version); one is needed to mount the volume.");
        return await fetcher.FetchAsync(PredictionLogVolume.NameFor(model, environment), image, destination, since, previous,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The requested version if given; else the version live in the environment (its log is mostly that version's); else the
    /// latest.</summary>
    private async Task<RegisteredVersion> MonitoredVersionAsync(MonitorRequest request, CancellationToken cancellationToken)
    {
        var model = request.Spec.Name;
        if (request.Version is null && request.Environment is { } environment
            && await LiveDeployment.FindAsync(history, model, environment, cancellationToken).ConfigureAwait(false) is { } live)
        {
            return await releases.FetchAsync(model, SemanticVersion.Parse(live.Version, $"the version live in {environment}"),
                cancellationToken).ConfigureAwait(false);
        }

        return await registry.SelectAsync(model, request.Version, cancellationToken).ConfigureAwait(false);
    }
}
