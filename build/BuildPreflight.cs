using Layercake.Build.Frosting.Internal;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Management.Releases;
using Layercake.Monitoring;
using Layercake.Pipelines;
using Layercake.Registry;
using Layercake.Shared.Lineage;

namespace Layercake.Build;

/// <summary>
/// Everything the tasks of this invocation need from the command line, checked before the first of them runs, so that
/// a mistyped environment fails in a second rather than after training, and creates no run. It also reads the pipeline
/// once for every task.
/// </summary>
public sealed class BuildPreflight(BuildContext context, RunStore runStore, RunArtifacts runArtifacts, IModelRegistry releases)
{
    /// <summary>The tasks that read the pipeline only when --pipeline or --model names one (Runs filters by it, Versions lists
    /// it).</summary>
    private static readonly HashSet<string> WithoutPipeline = new(["Clean", "Test", "Runs", "Versions"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The tasks that may build an image (a deploy builds a missing one), whose labels name the source.</summary>
    private static readonly HashSet<string> ImageBuilding =
        new(["BuildImage", "Reproduce", "Deploy", "Promote", "Rollback"], StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> Deploying = new(["Deploy", "Promote", "Rollback", "Status"], StringComparer.OrdinalIgnoreCase);

    public async Task RunAsync(IReadOnlyList<string> tasks)
    {
        var settings = context.Settings;
        context.RecordsRun = tasks.Contains("Train", StringComparer.OrdinalIgnoreCase);
        CheckFiles(tasks);
        if (tasks.Any(t => !WithoutPipeline.Contains(t)) || settings.PipelineGiven || settings.Model is not null)
        {
            context.Spec = await LoadSpecAsync();
            if (tasks.Contains("Prepare", StringComparer.OrdinalIgnoreCase))
            {
                DataInputs.Ensure(context);
            }

            CheckEnvironment(tasks);
            await CheckVersionAsync(tasks);
        }

        // Only an image's label names the source (a deploy builds a missing image); other runs need no git call for it.
        if (!tasks.Any(ImageBuilding.Contains))
        {
            return;
        }

        context.SourceUrl = Environment.GetEnvironmentVariable("GITHUB_REPOSITORY") is { Length: > 0 } repository
            ? $"{Environment.GetEnvironmentVariable("GITHUB_SERVER_URL") ?? "https://github.com"}/{repository}"
            : await GitInfo.RemoteUrlAsync(context.Paths.Root, context.CancellationToken) ?? "unknown";
    }

    private async Task<PipelineSpec> LoadSpecAsync()
    {
        var settings = context.Settings;
        if (settings.FromRun is { } fromRun)
        {
            var (snapshot, run) =
                await RerunSource.LoadAsync(runStore, runArtifacts, fromRun, settings.DataOverride, context.CancellationToken);
            context.PipelineSnapshot = run.PipelineYaml;
            return snapshot;
        }

        if (settings.Model is { } model && !File.Exists(settings.PipelineFile))
        {
            var folder = Path.GetDirectoryName(settings.PipelineFile)!;
            var known = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.yaml").Select(Path.GetFileNameWithoutExtension)
                .OfType<string>() : [];
            throw new FileNotFoundException(
                $"--model={model}: there is no pipeline file {settings.PipelineFile}." +
                    $"{Suggestions.DidYouMean(Suggestions.Closest(model, known), "--model=")}"
                + " Give another file with --pipeline=<file>.");
        }

        var spec = await PipelineSpecLoader.LoadAsync(settings.PipelineFile, settings.DataOverride, context.CancellationToken);
        return settings.Model is null || spec.Name == settings.Model
            ? spec
            : throw new ArgumentException($"--model={settings.Model} but {settings.PipelineFile} declares the pipeline '{spec.Name}'.");
    }

    private void CheckEnvironment(IReadOnlyList<string> tasks)
    {
        var spec = context.Spec;
        var name = context.Settings.EnvironmentName;
        var declared = spec.Environments.Select(e => e.Name).ToArray();
        var list = declared.Length == 0 ? "none (add an 'environments:' section, see docs/PIPELINES.md)" : string.Join(", ", declared);
        var monitorsLive = tasks.Contains("Monitor", StringComparer.OrdinalIgnoreCase) && context.Settings.PredictionLog is null;
        if (name is null && (tasks.Any(Deploying.Contains) || monitorsLive))
        {
            var needs = tasks.First(t => Deploying.Contains(t) || t.Equals("Monitor", StringComparison.OrdinalIgnoreCase));
            throw new ArgumentException(needs.Equals("Monitor", StringComparison.OrdinalIgnoreCase)
                ? $"Monitor needs a prediction log: --environment=NAME reads an environment's, or --log=PATH a file or folder; " +
                    $"{Path.GetFileName(spec.SourceFile)} declares: {list}."
                : $"{needs} needs --environment=NAME; {Path.GetFileName(spec.SourceFile)} declares: {list}.");
        }

        if (name is not null && !declared.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException($"--environment={name}: {Path.GetFileName(spec.SourceFile)} declares no such environment."
                + $"{Suggestions.DidYouMean(Suggestions.Closest(name, declared), "--environment=")} It declares: {list}.");
        }
    }

    private async Task CheckVersionAsync(IReadOnlyList<string> tasks)
    {
        var requested = context.Settings.RequestedVersion;
        if (tasks.Contains("Promote", StringComparer.OrdinalIgnoreCase) && requested is null)
        {
            throw new ArgumentException("Promote needs --model-version=X.Y.Z: the released version to promote.");
        }

        if (requested is null || !tasks.Any(t => t is "Promote" or "Rollback"))
        {
            return;
        }

        var released = await releases.ListAsync(context.Spec.Name, context.CancellationToken);
        if (!released.Any(v => v.Version.ToString() == requested))
        {
            var versions = released.Count == 0 ? "none yet" : string.Join(", ", released.Select(v => v.Version.ToString()));
            throw new ArgumentException(
                $"--model-version={requested}: {context.Spec.Name} has no released version {requested}; released: {versions}.");
        }
    }

    private void CheckFiles(IReadOnlyList<string> tasks)
    {
        var settings = context.Settings;
        if (!tasks.Contains("Monitor", StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        if (settings.Since is { } since && since != "last")
        {
            _ = MonitorSince.Parse(since, DateTimeOffset.UnixEpoch);
        }

        if (settings.FeedbackFile is { } feedback && !File.Exists(feedback))
        {
            throw new FileNotFoundException($"--feedback={Path.GetRelativePath(settings.Paths.Root, feedback)}: no such file.");
        }

        if (settings.PredictionLog is { } log && !File.Exists(log) && !Directory.Exists(log))
        {
            throw new FileNotFoundException($"--log={Path.GetRelativePath(settings.Paths.Root, log)}: no such file or folder.");
        }
    }
}
