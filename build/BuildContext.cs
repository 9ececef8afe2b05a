using Cake.Core;
using Layercake.Build.Frosting;
using Layercake.Development;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Registry;

namespace Layercake.Build;

/// <summary>
/// What every task shares, as data: the parsed arguments, the pipeline (read once, before the first task), what each
/// task left for the next (the version Package registered, the image BuildImage built), and the cancellation token
/// for Ctrl+C. Services are not here: a task receives those through its constructor (see <see cref="BuildServices"/>).
/// </summary>
public sealed class BuildContext(ICakeContext context, BuildSettings settings, BuildCancellation cancellation) : FrostingContext(context)
{
    private PipelineSpec? _spec;

    public BuildSettings Settings { get; } = settings;
    public Paths Paths => Settings.Paths;
    public CancellationToken CancellationToken => cancellation.Token;
    public DateTimeOffset StartedAt { get; } = TimeProvider.System.GetUtcNow();

    /// <summary>Each task of this build as it finished: ran, skipped or failed, and how long it took.</summary>
    public List<RunStage> Stages { get; } = [];

    /// <summary>The cached stages this build found fresh and did not run again.</summary>
    public HashSet<string> Cached { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether this build's tasks include Train, so that it is recorded in the run store when it ends.</summary>
    public bool RecordsRun { get; set; }

    /// <summary>The pipeline, read before the first task by <see cref="BuildPreflight"/>.</summary>
    public PipelineSpec Spec
    {
        get => _spec
            ?? throw new InvalidOperationException(
            "The pipeline is read before the first task that needs it; this task was not declared to need it.");
        set => _spec = value;
    }

    /// <summary>Whether the pipeline was read (a build that could not read it never reached Train).</summary>
    public bool SpecLoaded => _spec is not null;

    /// <summary>The YAML the pipeline was read from when it is a recorded run's snapshot.</summary>
    public string? PipelineSnapshot { get; set; }

    /// <summary>Where the code lives, for image labels: the GitHub repository under Actions, else the git remote.</summary>
    public string SourceUrl { get; set; } = "unknown";

    public ArtifactLayout Layout => new(Paths.Artifacts, Spec.Name);

    /// <summary>The environment --environment names; the preflight has checked that the pipeline declares it.</summary>
    public EnvironmentSpec DeployEnvironment => Spec.Environment(Settings.EnvironmentName
        ?? throw new InvalidOperationException("The preflight checks --environment before a task that deploys runs."));

    /// <summary>The version Package registered in this run; tasks run with --exclusive look it up instead.</summary>
    public RegisteredVersion? Registered { get; set; }

    /// <summary>Evaluate's leaderboard, gates and comparison with production as Markdown, for the pull-request comment.</summary>
    public string? EvaluationSummary { get; set; }

    /// <summary>The image BuildImage built in this run.</summary>
    public string? ImageTag { get; set; }

    /// <summary>A pull request's base branch under GitHub Actions: Evaluate compares this build with its last recorded run.</summary>
    public string? BaseBranch => Variable("GITHUB_BASE_REF");

    /// <summary>The branch a CI build is for (a pull request's head branch), or null to ask git.</summary>
    public string? CiBranch => Variable("GITHUB_HEAD_REF")
        ?? (Variable("GITHUB_ACTIONS") == "true" ? Variable("GITHUB_REF_NAME") : null);

    /// <summary>Under GitHub Actions, Markdown appended here shows on the job's summary page.</summary>
    public string? StepSummaryFile => Variable("GITHUB_STEP_SUMMARY");

    /// <summary>What the run store records about this build so far, and how it ended when <paramref name="failure"/> is given.</summary>
    public RunFacts RunFacts(Exception? failure) => new(Spec, Layout, StartedAt, Stages)
    {
        Failure = failure,
        FailedStage = Stages.LastOrDefault(s => s.Status == RunStage.Failed)?.Name,
        RegisteredVersion = Registered?.Version.ToString(),
        RerunOf = Settings.FromRun,
        GitBranch = CiBranch,
        PipelineYaml = PipelineSnapshot,
    };

    private string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
