using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Pipelines;

namespace Layercake.Development;

/// <summary>What the build host knows about a build when it ends: the pipeline, when it started, each task's fate, and how it
/// ended.</summary>
public sealed record RunFacts(PipelineSpec Spec, ArtifactLayout Layout, DateTimeOffset StartedAt, IReadOnlyList<RunStage> Stages)
{
    /// <summary>The exception the build failed with (unwrapped), or null when it succeeded.</summary>
    public Exception? Failure { get; init; }

    /// <summary>The task that threw <see cref="Failure"/>.</summary>
    public string? FailedStage { get; init; }

    public string? RegisteredVersion { get; init; }
    public string? RerunOf { get; init; }

    /// <summary>The branch the CI names (a pull request's head branch); otherwise git's current branch is asked.</summary>
    public string? GitBranch { get; init; }

    /// <summary>The YAML the pipeline was read from when it did not come from its file (a re-run's snapshot).</summary>
    public string? PipelineYaml { get; init; }

    /// <summary>This build as Evaluate sees it: its gates applied, passed or not.</summary>
    public RunFacts Evaluated(Evaluation.GateReport gates) => this with
    {
        Failure = gates.Passed ? null : new Evaluation.GateFailedException(gates),
        Stages = [.. Stages, new RunStage("Evaluate", 0, gates.Passed ? RunStage.Ran : RunStage.Failed)],
        FailedStage = gates.Passed ? null : "Evaluate",
    };

    /// <summary>Whether the build got to <paramref name="stage"/>: ran it, reused its cached outputs, or failed in it.</summary>
    public bool Reached(string stage) => Stages.Any(s => s.Name == stage);

    public bool Completed(string stage) => Stages.Any(s => s.Name == stage && s.Status is RunStage.Ran or RunStage.Skipped);
}
