using Cake.Common;
using Cake.Core;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Registry;

namespace Layercake.Build;

/// <summary>
/// The command line as the build reads it: every argument parsed and checked once, paths made absolute against the
/// working directory. It is data: nothing here connects to anything or reads a file.
/// </summary>
public sealed record BuildSettings
{
    public required Paths Paths { get; init; }
    public required string PipelineFile { get; init; }

    /// <summary>Whether --pipeline was given (Runs then lists only that pipeline's runs).</summary>
    public bool PipelineGiven { get; init; }

    public string? Model { get; init; }
    public string? EnvironmentName { get; init; }
    public string? DataOverride { get; init; }
    public string? RequestedVersion { get; init; }
    public bool Force { get; init; }
    public string? TestFilter { get; init; }

    /// <summary>--since as given: a date, a duration back from now, or "last".</summary>
    public string? Since { get; init; }

    /// <summary>Monitor: a log file or folder given on the command line.</summary>
    public string? PredictionLog { get; init; }
    public string? FeedbackFile { get; init; }
    public required string RunStorePath { get; init; }
    public int KeepRuns { get; init; }

    /// <summary>--from-run: the recorded run whose pipeline snapshot and data this build repeats.</summary>
    public string? FromRun { get; init; }
    public string? Repository { get; init; }
    public string? Runs { get; init; }
    public string? Outcome { get; init; }
    public string Format { get; init; } = "table";
    public string? Output { get; init; }

    /// <summary>Score: the query to run against the pipeline's source instead of reading --data.</summary>
    public string? SourceQuery { get; init; }
    /// <summary>Score: --max-rejects as given; null for the pipeline's scoring.max_rejects, else 0.</summary>
    public string? MaxRejects { get; init; }
    public string? Keep { get; init; }

    /// <summary>Score: a database table to write instead of --output, and whether one that exists is replaced.</summary>
    public string? OutputTable { get; init; }
    public bool Replace { get; init; }

    /// <summary>Compare: let last / last~N count runs that ended in an error.</summary>
    public bool IncludeErrors { get; init; }

    /// <summary>Compare: show unchanged metrics too.</summary>
    public bool ShowAll { get; init; }
    public int Limit { get; init; } = 20;
    public required string LogFile { get; init; }

    public static BuildSettings Read(ICakeContext context, TimeProvider time)
    {
        var root = context.Environment.WorkingDirectory.FullPath;
        string? Absolute(string name) => context.Argument<string?>(name, null) is { } value ? Path.GetFullPath(Path.Combine(root, value))
            : null;
        var paths =
            new Paths(root, Absolute("artifacts") ?? Path.Combine(root, "artifacts"), Absolute("models") ?? Path.Combine(root, "models"));
        var model = context.Argument<string?>("model", null);
        var version = context.Argument<string?>("model-version", null);
        if (version is not null && !SemanticVersion.TryParse(version, out _))
        {
            throw new ArgumentException($"--model-version={version} is not a version; expected MAJOR.MINOR.PATCH such as 1.4.0.");
        }

        return new BuildSettings
        {
            Paths = paths,
            PipelineFile = Absolute("pipeline")
                ?? Path.Combine(root, model is null ? Paths.DefaultPipeline : Path.Combine("pipelines", $"{model}.yaml")),
            PipelineGiven = context.HasArgument("pipeline"),
            Model = model,
            EnvironmentName = context.Argument<string?>("environment", null),
            DataOverride = Absolute("data"),
            RequestedVersion = version,
            Force = context.HasArgument("force") && context.Argument("force", true),
            TestFilter = context.Argument<string?>("test-filter", null),
            Since = context.Argument<string?>("since", null),
            PredictionLog = Absolute("log"),
            FeedbackFile = Absolute("feedback"),
            RunStorePath = Absolute("run-store") ?? Path.Combine(paths.Models, RunStore.DefaultFileName),
            KeepRuns = context.Argument("keep-runs", RunArtifacts.DefaultKeep),
            FromRun = context.Argument<string?>("from-run", null),
            Repository = context.Argument<string?>("repository", null),
            Runs = context.Argument<string?>("runs", null),
            Outcome = context.Argument<string?>("outcome", null),
            Format = context.Argument("format", "table"),
            Output = Absolute("output"),
            SourceQuery = context.Argument<string?>("source-query", null),
            MaxRejects = context.Argument<string?>("max-rejects", null),
            OutputTable = context.Argument<string?>("output-table", null),
            Replace = context.HasArgument("replace") && context.Argument("replace", true),
            Keep = context.Argument<string?>("keep", null),
            IncludeErrors = context.HasArgument("include-errors") && context.Argument("include-errors", true),
            ShowAll = context.HasArgument("all") && context.Argument("all", true),
            Limit = context.Argument("limit", 20),
            LogFile = Path.Combine(paths.Logs, $"layercake-{time.GetUtcNow():yyyyMMdd-HHmmss}-{Environment.ProcessId}.json"),
        };
    }
}
