using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Tests.TestSupport;

/// <summary>Recorded runs made up for store tests: two candidates and a baseline, four metrics over five folds each.</summary>
public static class SampleRuns
{
    public const int Folds = 5;
    public static readonly string[] MetricNames = ["macro_accuracy", "micro_accuracy", "log_loss", "log_loss_reduction"];

    public static ExperimentRun Make(string id, string pipeline = "penguins", DateTimeOffset? started = null, string outcome = RunOutcomes.Passed, double offset = 0, double l2 = 0.001)
    {
        var start = started ?? new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        return new ExperimentRun
        {
            Id = id,
            Pipeline = pipeline,
            StartedAt = start,
            EndedAt = start.AddSeconds(12.5),
            Outcome = outcome,
            FailedGates = outcome == RunOutcomes.GateFailed ? ["metric: macro_accuracy >= 0.99 (was 0.95)"] : [],
            GitCommit = "0123456789abcdef0123456789abcdef01234567",
            GitDirty = true,
            GitBranch = "main",
            PipelineFile = $"/repo/pipelines/{pipeline}.yaml",
            PipelineYaml = $"name: {pipeline}\ndata: ../data/{pipeline}.csv\ntrainers:\n  - name: sdca\n    params:\n      l2_regularization: {l2}\n",
            DataFile = $"/repo/data/{pipeline}.csv",
            DataSha256 = new string('a', 64),
            DataRows = 344,
            PrimaryMetric = "macro_accuracy",
            HigherIsBetter = true,
            Winner = "sdca",
            RegisteredVersion = outcome == RunOutcomes.Packaged ? "1.2.0" : null,
            Candidates =
            [
                Candidate("sdca", "sdca", false, 0.95 + offset, new Dictionary<string, double> { ["l2_regularization"] = l2 }),
                Candidate("lightgbm", "lightgbm", false, 0.93 + offset, new Dictionary<string, double> { ["number_of_leaves"] = 8, ["learning_rate"] = 0.1 }),
                Candidate("baseline", "baseline", true, 1.0 / 3, new Dictionary<string, double>()),
            ],
            Stages = [new RunStage("Prepare", 0.5, RunStage.Skipped), new RunStage("Train", 10.25, RunStage.Ran), new RunStage("Evaluate", 0.4, RunStage.Ran)],
        };
    }

    /// <summary>How many rows of fold_metrics one made-up run has.</summary>
    public static int FoldRowsPerRun => 3 * MetricNames.Length * Folds;

    private static RunCandidate Candidate(string name, string kind, bool baseline, double level, Dictionary<string, double> parameters) =>
        new(name, kind, baseline, parameters, MetricNames.ToDictionary(m => m, m =>
        {
            var folds = Enumerable.Range(0, Folds).Select(f => level + (f - 2) * 0.01).ToArray();
            return new MetricSummary(folds.Average(), 0.0158, folds);
        }));
}
