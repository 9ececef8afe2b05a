using Cake.Common;
using Cake.Core;
using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Deployment.History;
using Layercake.Development;
using Layercake.Development.Experiments;
using Layercake.Registry;
using Layercake.Management.Releases;
using Layercake.Pipelines;
using Layercake.Shared.Docker;
using Layercake.Shared.GitHub;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;
using Serilog.Sinks.SystemConsole.Themes;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace Layercake.Build;

/// <summary>
/// What every task shares: the parsed arguments, the paths, the pipeline (loaded once, on first use),
/// the logger library code writes to, and the cancellation token for Ctrl+C.
/// </summary>
public sealed class BuildContext : FrostingContext, IDisposable
{
    private const string ConsoleTemplate = "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}";
    private readonly CancellationTokenSource _cancellation = new();
    private readonly Lazy<SerilogLoggerFactory> _loggerFactory;
    private readonly Lazy<ILogger> _logger;
    private readonly Lazy<Serilog.ILogger> _serilog;
    private PipelineSpec? _spec;
    private GitHubOptions? _github;

    public BuildContext(ICakeContext context)
        : base(context)
    {
        var root = context.Environment.WorkingDirectory.FullPath;
        Paths = new Paths(
            root,
            Path.GetFullPath(Path.Combine(root, context.Argument("artifacts", "artifacts"))),
            Path.GetFullPath(Path.Combine(root, context.Argument("models", "models"))));
        Model = context.Argument<string?>("model", null);
        PipelineGiven = context.HasArgument("pipeline");
        var pipeline = context.Argument<string?>("pipeline", null) ?? (Model is null ? Paths.DefaultPipeline : Path.Combine("pipelines", $"{Model}.yaml"));
        PipelineFile = Path.GetFullPath(Path.Combine(root, pipeline));
        EnvironmentName = context.Argument<string?>("environment", null);
        DataOverride = context.Argument<string?>("data", null) is { } data ? Path.GetFullPath(Path.Combine(root, data)) : null;
        RequestedVersion = context.Argument<string?>("model-version", null);
        if (RequestedVersion is not null && !SemanticVersion.TryParse(RequestedVersion, out _))
        {
            throw new ArgumentException($"--model-version={RequestedVersion} is not a version; expected MAJOR.MINOR.PATCH such as 1.4.0.");
        }

        Force = context.HasArgument("force") && context.Argument("force", true);
        TestFilter = context.Argument<string?>("test-filter", null);
        var since = context.Argument<string?>("since", null);
        MonitorSinceLastRun = since == "last";
        MonitorSince = since is not null && !MonitorSinceLastRun ? Monitoring.MonitorSince.Parse(since, Time.GetUtcNow()) : null;
        PredictionLog = context.Argument<string?>("log", null) is { } log ? Path.GetFullPath(Path.Combine(root, log)) : null;
        FeedbackFile = context.Argument<string?>("feedback", null) is { } feedback ? Path.GetFullPath(Path.Combine(root, feedback)) : null;
        RunStorePath = Path.GetFullPath(Path.Combine(root, context.Argument("run-store", Path.Combine(Paths.Models, RunStore.DefaultFileName))));
        KeepRuns = context.Argument("keep-runs", RunArtifacts.DefaultKeep);
        FromRun = context.Argument<string?>("from-run", null);
        LogFile = Path.Combine(Paths.Logs, $"layercake-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}-{System.Environment.ProcessId}.json");

        var level = LevelFor(context.Log.Verbosity);
        // Created on first use: --tree, --description and --help log nothing, and must leave no empty log file behind.
        _serilog = new Lazy<Serilog.ILogger>(() => new LoggerConfiguration()
            .MinimumLevel.Is(level)
            // Exceptions go to the JSON log only: the host prints the error message, and --verbosity=diagnostic the stack.
            .WriteTo.Logger(console => _ = ConsoleOutput.Plain
                ? console.WriteTo.Console(outputTemplate: ConsoleTemplate, theme: ConsoleTheme.None)
                : console.WriteTo.Sink(new SpectreLogSink(ConsoleTemplate)))
            .WriteTo.File(new CompactJsonFormatter(), LogFile)
            .CreateLogger());
        _loggerFactory = new Lazy<SerilogLoggerFactory>(() => new SerilogLoggerFactory(_serilog.Value, dispose: true));
        _logger = new Lazy<ILogger>(() => _loggerFactory.Value.CreateLogger("Layercake"));
        Console.CancelKeyPress += OnCancelKeyPress;
    }

    public Paths Paths { get; }
    public string PipelineFile { get; }
    /// <summary>Whether --pipeline was given (Runs then lists only that pipeline's runs).</summary>
    public bool PipelineGiven { get; }
    public string? Model { get; }
    public string? EnvironmentName { get; }
    public string? DataOverride { get; }
    public string? RequestedVersion { get; }
    public bool Force { get; }
    public string? TestFilter { get; }
    public DateTimeOffset? MonitorSince { get; }

    /// <summary><c>--since=last</c>: Monitor resumes where its last run of the environment stopped.</summary>
    public bool MonitorSinceLastRun { get; }
    /// <summary>Monitor: a log file or folder given on the command line.</summary>
    public string? PredictionLog { get; }
    public string? FeedbackFile { get; }
    public string LogFile { get; }
    public string RunStorePath { get; }
    public int KeepRuns { get; }
    /// <summary>--from-run: the recorded run whose pipeline snapshot and data this build repeats.</summary>
    public string? FromRun { get; }
    /// <summary>The YAML the pipeline was read from when it is a recorded run's snapshot.</summary>
    public string? PipelineSnapshot { get; private set; }
    /// <summary>Each task of this build as it finished: ran, skipped or failed, and how long it took.</summary>
    public List<RunStage> Stages { get; } = [];
    public DateTimeOffset StartedAt { get; } = TimeProvider.System.GetUtcNow();
    public RunStore RunStore => new(RunStorePath);
    public RunArtifacts RunArtifacts => new(Paths.Artifacts);
    /// <summary>Whether this build's tasks include Train, so that it is recorded in the run store when it ends.</summary>
    public bool RecordsRun { get; set; }

    /// <summary>Saves each run in the run store, and to MLflow when MLFLOW_TRACKING_URI names a tracking server.</summary>
    public RunRecorder RunRecorder => new(RunStore, RunArtifacts, KeepRuns, Mlflow(), Logger, Time);

    /// <summary>A tracking URI that is not a server (file:, databricks) leaves MLflow out with a warning; the run is still recorded.</summary>
    private Layercake.Shared.MLflow.MlflowOptions? Mlflow()
    {
        try
        {
            return Layercake.Shared.MLflow.MlflowOptions.FromEnvironment(this.EnvironmentVariable);
        }
        catch (ArgumentException ex)
        {
            Logger.LogWarning("{Message}", ex.Message);
            return null;
        }
    }

    /// <summary>What the run store records about this build so far, and how it ended when <paramref name="failure"/> is given.</summary>
    public RunFacts RunFacts(Exception? failure) => new(Spec, Layout, StartedAt, Stages)
    {
        Failure = failure,
        FailedStage = Stages.LastOrDefault(s => s.Status == RunStage.Failed)?.Name,
        RegisteredVersion = Registered?.Version.ToString(),
        RerunOf = FromRun,
        GitBranch = CiBranch,
        PipelineYaml = PipelineSnapshot,
    };

    /// <summary>This build as Evaluate sees it: its gates applied, passed or not.</summary>
    public RunFacts EvaluatedRunFacts(Layercake.Development.Evaluation.GateReport gates) => RunFacts(gates.Passed ? null : new Layercake.Development.Evaluation.GateFailedException(gates)) with
    {
        Stages = [.. Stages, new RunStage("Evaluate", 0, gates.Passed ? RunStage.Ran : RunStage.Failed)],
        FailedStage = gates.Passed ? null : "Evaluate",
    };

    /// <summary>A pull request's base branch under GitHub Actions: Evaluate compares this build with its last recorded run.</summary>
    public string? BaseBranch => this.EnvironmentVariable("GITHUB_BASE_REF") is { Length: > 0 } branch ? branch : null;

    /// <summary>The branch a CI build is for (a pull request's head branch), or null to ask git.</summary>
    public string? CiBranch => this.EnvironmentVariable("GITHUB_HEAD_REF") is { Length: > 0 } head ? head
        : this.EnvironmentVariable("GITHUB_ACTIONS") == "true" && this.EnvironmentVariable("GITHUB_REF_NAME") is { Length: > 0 } name ? name : null;
    /// <summary>The Serilog logger behind <see cref="Logger"/>, for events with an exception.</summary>
    public Serilog.ILogger Serilog => _serilog.Value;
    public ILogger Logger => _logger.Value;
    public TimeProvider Time { get; } = TimeProvider.System;
    public CancellationToken CancellationToken => _cancellation.Token;

    public PipelineSpec Spec => _spec ??= LoadSpec();

    /// <summary>Whether the pipeline was read (a build that could not read it never reached Train).</summary>
    public bool SpecLoaded => _spec is not null;

    /// <summary>The environment --environment names, from the pipeline's environments: section.</summary>
    public EnvironmentSpec DeployEnvironment => Spec.Environment(EnvironmentName
        ?? throw new ArgumentException($"This target needs --environment=<name>; {Path.GetFileName(PipelineFile)} declares: {(Spec.Environments.Count == 0 ? "none" : string.Join(", ", Spec.Environments.Select(e => e.Name)))}."));

    /// <summary>
    /// GitHub, when a token and a repository are given (GITHUB_TOKEN, GITHUB_REPOSITORY or --repository,
    /// GITHUB_API_URL); otherwise null and the local registry is used.
    /// </summary>
    public GitHubOptions? GitHub => _github ??= GitHubOptions.FromEnvironment(this.EnvironmentVariable, this.Argument<string?>("repository", null));

    /// <summary>Where versions are released and fetched from: GitHub releases, or the local registry.</summary>
    public IModelRegistry ReleaseRegistry => GitHub is { } github
        ? new GitHubModelRegistry(GitHubClientFactory.Create(github), github, Path.Combine(Paths.Artifacts, "github-cache"), Logger, Time)
        : new LocalReleaseRegistry(ModelRegistry);

    /// <summary>Which version ran where: GitHub's Deployments API, or the local registry's history files.</summary>
    public IDeploymentHistory DeploymentHistory => GitHub is { } github
        ? new GitHubDeploymentHistory(GitHubClientFactory.Create(github), github, Logger, Time)
        : new LocalDeploymentHistory(Paths.Models, Time);

    public ArtifactLayout Layout => new(Paths.Artifacts, Spec.Name);

    /// <summary>The version Package registered in this run; tasks run with --exclusive look it up instead.</summary>
    public RegisteredVersion? Registered { get; set; }

    /// <summary>The version a task works on: the one Package registered in this run, else the one --model-version names, else the latest.</summary>
    public async Task<RegisteredVersion> CurrentVersionAsync() =>
        Registered ?? await ModelRegistry.SelectAsync(Spec.Name, RequestedVersion, CancellationToken);

    /// <summary>Evaluate's leaderboard, gates and comparison with production as Markdown, for the pull-request comment.</summary>
    public string? EvaluationSummary { get; set; }

    /// <summary>The image BuildImage built in this run.</summary>
    public string? ImageTag { get; set; }

    public LocalModelRegistry ModelRegistry => new(Paths.Models, Logger, Time);

    /// <summary>The version's serving image: reused, or published and built from <see cref="Paths.SourceRoot"/>.</summary>
    public ServerImage ServerImage => new(new DotNetServerPublisher(this), Paths.SourceRoot, Paths.ServingPublish, SourceUrl, Logger, Time);

    /// <summary>The deploy path Deploy, Promote and Rollback share; it connects to Docker when a deployment starts.</summary>
    public EnvironmentDeployment EnvironmentDeployment => new(DockerEngine.ConnectAsync, DeploymentHistory, ServerImage, Paths.Models, Logger, Time);

    /// <summary>Where the code lives, for image labels: the GitHub repository under Actions, else the git remote.</summary>
    public string SourceUrl =>
        this.EnvironmentVariable("GITHUB_REPOSITORY") is { Length: > 0 } repository
            ? $"{this.EnvironmentVariable("GITHUB_SERVER_URL") ?? "https://github.com"}/{repository}"
            : Layercake.Shared.Lineage.GitInfo.RemoteUrl(Paths.Root) ?? "unknown";

    /// <summary>Under GitHub Actions, Markdown appended here shows on the job's summary page.</summary>
    public string? StepSummaryFile => this.EnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } path ? path : null;

    private PipelineSpec LoadSpec()
    {
        if (FromRun is not null)
        {
            var (snapshot, run) = RerunSource.LoadAsync(RunStore, RunArtifacts, FromRun, DataOverride, CancellationToken).GetAwaiter().GetResult();
            PipelineSnapshot = run.PipelineYaml;
            return snapshot;
        }

        if (Model is not null && !File.Exists(PipelineFile))
        {
            throw new FileNotFoundException($"--model={Model}: there is no pipeline file {PipelineFile}; give it with --pipeline=<file>.");
        }

        var spec = PipelineSpecLoader.LoadAsync(PipelineFile, DataOverride, CancellationToken).GetAwaiter().GetResult();
        return Model is null || spec.Name == Model
            ? spec
            : throw new ArgumentException($"--model={Model} but {PipelineFile} declares the pipeline '{spec.Name}'.");
    }

    /// <summary>The first Ctrl+C asks the running stage to stop at its next check; a second one ends the process.</summary>
    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (!_cancellation.IsCancellationRequested)
        {
            e.Cancel = true;
            _cancellation.Cancel();
        }
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        if (_loggerFactory.IsValueCreated)
        {
            _loggerFactory.Value.Dispose();
        }
        else if (_serilog.IsValueCreated)
        {
            (_serilog.Value as IDisposable)?.Dispose();
        }
        _cancellation.Dispose();
    }

    private static LogEventLevel LevelFor(Cake.Core.Diagnostics.Verbosity verbosity) => verbosity switch
    {
        Cake.Core.Diagnostics.Verbosity.Quiet => LogEventLevel.Error,
        Cake.Core.Diagnostics.Verbosity.Minimal => LogEventLevel.Warning,
        Cake.Core.Diagnostics.Verbosity.Normal => LogEventLevel.Information,
        Cake.Core.Diagnostics.Verbosity.Verbose => LogEventLevel.Debug,
        _ => LogEventLevel.Verbose,
    };
}
