using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Development.Experiments.Store;

/// <summary>
/// One recorded build of a pipeline that reached Train: when it ran, how it ended, on which commit, data and
/// pipeline (the YAML itself), every candidate's parameters and cross-validated metrics, and what it registered.
/// </summary>
public sealed record ExperimentRun
{
    public required string Id { get; init; }
    public required string Pipeline { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>One of <see cref="RunOutcomes"/>.</summary>
    public required string Outcome { get; init; }

    /// <summary>The gates the winner missed, each as "metric op threshold (value)".</summary>
    public IReadOnlyList<string> FailedGates { get; init; } = [];
    public string? ErrorStage { get; init; }
    public string? ErrorMessage { get; init; }
    public string GitCommit { get; init; } = "unknown";
    public bool GitDirty { get; init; }
    public string? GitBranch { get; init; }
    public required string PipelineFile { get; init; }

    /// <summary>The pipeline's YAML as it was read, so the run can be repeated after the file changed.</summary>
    public required string PipelineYaml { get; init; }
    public required string DataFile { get; init; }
    public string? DataSha256 { get; init; }
    public int? DataRows { get; init; }
    public string? PrimaryMetric { get; init; }
    public bool HigherIsBetter { get; init; } = true;
    public string? Winner { get; init; }
    public string? RegisteredVersion { get; init; }
    public IReadOnlyList<RunCandidate> Candidates { get; init; } = [];
    public IReadOnlyList<RunStage> Stages { get; init; } = [];

    /// <summary>The run's own copy of its artifacts (<c>artifacts/runs/&lt;id&gt;/</c>); null once retention removed it.</summary>
    public string? ArtifactsFolder { get; init; }

    /// <summary>The run this one repeated.</summary>
    public string? RerunOf { get; init; }

    /// <summary>Search trials per candidate, when Train searched parameters; empty otherwise.</summary>
    public IReadOnlyList<RunTrial> Trials { get; init; } = [];

    /// <summary>A batch-scoring run's output; null for a training run.</summary>
    public ScoringRun? Scoring { get; init; }

    /// <summary>
    /// The stages this run reused from the cache (their inputs were unchanged): a run that reused Train repeated an
    /// earlier experiment's training rather than being a new one.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> CachedStages => Stages.Where(s => s.Status == RunStage.Skipped).Select(s => s.Name).ToArray();

    /// <summary>The winner's primary metric, when the run got as far as choosing one.</summary>
    public MetricSummary? PrimarySummary =>
        Winner is not null && PrimaryMetric is not null && Candidates.FirstOrDefault(c => c.Name == Winner) is { } winner
            && winner.Metrics.TryGetValue(PrimaryMetric, out var summary) ? summary : null;
}
