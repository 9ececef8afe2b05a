using System.Globalization;
using Layercake.Development.Experiments.Store;
using Layercake.Shared.MLflow;
using Microsoft.Extensions.Logging;

namespace Layercake.Development.Experiments;

/// <summary>
/// Logs a recorded run to an MLflow tracking server: an experiment per pipeline, a run named by the run id, every
/// candidate's parameters, every metric per fold (the fold is the step) with its mean and std, tags for the commit,
/// branch, data hash and outcome, and the run's reports as artifacts when the server proxies artifacts.
/// </summary>
internal sealed class MlflowRunLogger(MlflowClient client, ILogger logger)
{
    /// <summary>The run's files that go to MLflow, relative to its artifact folder.</summary>
    private static readonly string[] Reports =
        ["evaluate/report.html", "evaluate/gates.json", "train/cv.json", "train/leaderboard.md", "pipeline.yaml"];

    public async Task<string> LogAsync(ExperimentRun run, CancellationToken cancellationToken)
    {
        var experiment = await client.ExperimentIdAsync(run.Pipeline, cancellationToken).ConfigureAwait(false);
        var (runId, artifactUri) = await client.CreateRunAsync(experiment, run.Id, run.StartedAt, Tags(run), cancellationToken)
            .ConfigureAwait(false);
        var parameters = Parameters(run).ToList();
        var metrics = Metrics(run).ToList();
        for (int p = 0, m = 0; p < parameters.Count || m < metrics.Count; p += MlflowClient.MaxParamsPerBatch,
            m += MlflowClient.MaxMetricsPerBatch)
        {
            await client.LogBatchAsync(runId, metrics.Skip(m).Take(MlflowClient.MaxMetricsPerBatch).ToArray(),
                parameters.Skip(p).Take(MlflowClient.MaxParamsPerBatch).ToDictionary(), cancellationToken).ConfigureAwait(false);
        }

        if (run.ArtifactsFolder is { } folder)
        {
            foreach (var file in Reports.Concat(PlotsOf(folder)).Where(f => File.Exists(Path.Combine(folder, f))))
            {
                if (!await client.UploadArtifactAsync(artifactUri, file, Path.Combine(folder, file), cancellationToken)
                    .ConfigureAwait(false))
                {
                    logger.LogInformation(
                        "MLflow keeps this run's artifacts at {ArtifactUri}, which its server does not proxy; the reports stay in {Folder}",
                        artifactUri, folder);
                    break;
                }
            }
        }

        var failed = run.Outcome is RunOutcomes.GateFailed or RunOutcomes.Error;
        await client.UpdateRunAsync(runId, failed ? "FAILED" : "FINISHED", run.EndedAt, cancellationToken).ConfigureAwait(false);
        return runId;
    }

    private static IEnumerable<string> PlotsOf(string folder)
    {
        var evaluate = Path.Combine(folder, "evaluate");
        return Directory.Exists(evaluate)
            ? Directory.EnumerateFiles(evaluate, "*.png").Order(StringComparer.Ordinal).Select(f => "evaluate/" + Path.GetFileName(f))
            : [];
    }

    internal static Dictionary<string, string> Tags(ExperimentRun run)
    {
        var tags = new Dictionary<string, string>
        {
            ["mlflow.runName"] = run.Id,
            ["mlflow.source.type"] = "LOCAL",
            ["mlflow.source.name"] = run.PipelineFile,
            ["mlflow.source.git.commit"] = run.GitCommit,
            ["layercake.run_id"] = run.Id,
            ["layercake.outcome"] = run.Outcome,
            ["layercake.git_dirty"] = run.GitDirty ? "true" : "false",
            ["layercake.data_file"] = run.DataFile,
        };
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) tags[key] = value;
        }

        Add("mlflow.source.git.branch", run.GitBranch);
        Add("layercake.data_sha256", run.DataSha256);
        Add("layercake.data_rows", run.DataRows?.ToString(CultureInfo.InvariantCulture));
        Add("layercake.winner", run.Winner);
        Add("layercake.registered_version", run.RegisteredVersion);
        Add("layercake.rerun_of", run.RerunOf);
        Add("layercake.failed_gates", run.FailedGates.Count == 0 ? null : string.Join("; ", run.FailedGates));
        Add("layercake.error", run.ErrorStage is null ? null : $"{run.ErrorStage}: {run.ErrorMessage}");
        return tags;
    }

    internal static IEnumerable<KeyValuePair<string, string>> Parameters(ExperimentRun run)
    {
        if (run.PrimaryMetric is { } primary) yield return new("primary_metric", primary);
        if (run.Winner is { } winner) yield return new("winner", winner);
        foreach (var candidate in run.Candidates)
        {
            yield return new($"{candidate.Name}.kind", candidate.Kind);
            foreach (var (name, value) in candidate.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                yield return new($"{candidate.Name}.{name}", value.ToString("R", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Per candidate and metric: each fold at its step, then mean and std; the winner's means also under the bare metric
    /// name.</summary>
    internal static IEnumerable<MlflowMetric> Metrics(ExperimentRun run)
    {
        var at = run.EndedAt;
        foreach (var candidate in run.Candidates)
        {
            foreach (var (metric, summary) in candidate.Metrics)
            {
                for (var fold = 0; fold < summary.Folds.Count; fold++)
                {
                    if (double.IsFinite(summary.Folds[fold])) yield return
                        new($"{candidate.Name}.{metric}", summary.Folds[fold], at, fold + 1);
                }

                if (double.IsFinite(summary.Mean)) yield return new($"{candidate.Name}.{metric}.mean", summary.Mean, at, 0);
                if (double.IsFinite(summary.StdDev)) yield return new($"{candidate.Name}.{metric}.std", summary.StdDev, at, 0);
                if (candidate.Name == run.Winner && double.IsFinite(summary.Mean)) yield return new(metric, summary.Mean, at, 0);
            }
        }
    }
}
