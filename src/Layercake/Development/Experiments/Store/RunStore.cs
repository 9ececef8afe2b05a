using System.Globalization;
using Layercake.Shared.IO;
using Microsoft.Data.Sqlite;

namespace Layercake.Development.Experiments.Store;

/// <summary>
/// The run store: one SQLite file (by default <c>models/runs.db</c>, beside the local registry). Each run is written
/// in one transaction, so a build killed while recording leaves the run either absent or complete.
/// </summary>
public sealed class RunStore(string path)
{
    public const string DefaultFileName = "runs.db";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public async Task SaveAsync(ExperimentRun run, CancellationToken cancellationToken)
    {
        await using var connection = await RunStoreSchema.OpenAsync(Path, cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await InsertRunAsync(connection, transaction, run, cancellationToken).ConfigureAwait(false);
        await InsertCandidatesAsync(connection, transaction, run, cancellationToken).ConfigureAwait(false);
        await InsertStagesAndTrialsAsync(connection, transaction, run, cancellationToken).ConfigureAwait(false);
        await InsertScoringAsync(connection, transaction, run, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run's own row.</summary>
    private static async Task InsertRunAsync(SqliteConnection connection, SqliteTransaction transaction, ExperimentRun run,
        CancellationToken cancellationToken)
    {
        await InsertAsync(connection, transaction, """
            INSERT INTO runs(id, pipeline, started_at, ended_at, outcome, failed_gates, error_stage, error_message,
                git_commit, git_dirty, git_branch, pipeline_file, pipeline_yaml, data_file, data_sha256, data_rows,
                primary_metric, higher_is_better, winner, registered_version, artifacts, rerun_of)
            VALUES($id, $pipeline, $started, $ended, $outcome, $gates, $errorStage, $error, $commit, $dirty, $branch,
                $pipelineFile, $yaml, $dataFile, $dataSha, $rows, $primary, $higher, $winner, $version, $artifacts, $rerunOf)
            """, cancellationToken,
            ("$id", run.Id), ("$pipeline", run.Pipeline), ("$started", Time(run.StartedAt)), ("$ended", Time(run.EndedAt)),
                ("$outcome", run.Outcome),
            ("$gates", PackageJson.Serialize(run.FailedGates)), ("$errorStage", run.ErrorStage), ("$error", run.ErrorMessage),
            ("$commit", run.GitCommit), ("$dirty", run.GitDirty), ("$branch", run.GitBranch), ("$pipelineFile", run.PipelineFile),
                ("$yaml", run.PipelineYaml),
            ("$dataFile", run.DataFile), ("$dataSha", run.DataSha256), ("$rows", run.DataRows), ("$primary", run.PrimaryMetric),
                ("$higher", run.HigherIsBetter),
            ("$winner", run.Winner), ("$version", run.RegisteredVersion), ("$artifacts", run.ArtifactsFolder), ("$rerunOf", run.RerunOf))
                .ConfigureAwait(false);
    }

    /// <summary>Each candidate with its metrics' means and per-fold values.</summary>
    private static async Task InsertCandidatesAsync(SqliteConnection connection, SqliteTransaction transaction, ExperimentRun run,
        CancellationToken cancellationToken)
    {
        foreach (var candidate in run.Candidates)
        {
            await InsertAsync(connection, transaction,
                "INSERT INTO candidates(run_id, name, kind, is_baseline, parameters) VALUES($run, $name, $kind, $baseline, $parameters)",
                cancellationToken,
                ("$run", run.Id), ("$name", candidate.Name), ("$kind", candidate.Kind), ("$baseline", candidate.IsBaseline),
                    ("$parameters", PackageJson.Serialize(candidate.Parameters))).ConfigureAwait(false);
            foreach (var (metric, summary) in candidate.Metrics)
            {
                await InsertAsync(connection, transaction,
                    "INSERT INTO metrics(run_id, candidate, metric, mean, std) VALUES($run, $candidate, $metric, $mean, $std)",
                    cancellationToken,
                    ("$run", run.Id), ("$candidate", candidate.Name), ("$metric", metric), ("$mean", Finite(summary.Mean)),
                        ("$std", Finite(summary.StdDev))).ConfigureAwait(false);
                for (var fold = 0; fold < summary.Folds.Count; fold++)
                {
                    await InsertAsync(connection, transaction,
                        "INSERT INTO fold_metrics(run_id, candidate, metric, fold, value) VALUES($run, $candidate, $metric, $fold, $value)",
                        cancellationToken,
                        ("$run", run.Id), ("$candidate", candidate.Name), ("$metric", metric), ("$fold", fold + 1),
                            ("$value", Finite(summary.Folds[fold]))).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The stages in order, and every search trial.</summary>
    private static async Task InsertStagesAndTrialsAsync(SqliteConnection connection, SqliteTransaction transaction, ExperimentRun run,
        CancellationToken cancellationToken)
    {
        for (var i = 0; i < run.Stages.Count; i++)
        {
            await InsertAsync(connection, transaction,
                "INSERT INTO stages(run_id, ordinal, stage, status, seconds) VALUES($run, $ordinal, $stage, $status, $seconds)",
                cancellationToken,
                ("$run", run.Id), ("$ordinal", i), ("$stage", run.Stages[i].Name), ("$status", run.Stages[i].Status),
                    ("$seconds", run.Stages[i].Seconds)).ConfigureAwait(false);
        }

        foreach (var trial in run.Trials)
        {
            await InsertAsync(connection, transaction,
                "INSERT INTO trials(run_id, candidate, trial, parameters, metrics) VALUES($run, $candidate, $trial, $parameters, $metrics)",
                cancellationToken,
                ("$run", run.Id), ("$candidate", trial.Candidate), ("$trial", trial.Trial),
                    ("$parameters", PackageJson.Serialize(trial.Parameters)), ("$metrics", PackageJson.Serialize(trial.Metrics)))
                    .ConfigureAwait(false);
        }
    }

    /// <summary>What a scoring run wrote, for a scoring run.</summary>
    private static async Task InsertScoringAsync(SqliteConnection connection, SqliteTransaction transaction, ExperimentRun run,
        CancellationToken cancellationToken)
    {
        if (run.Scoring is not { } scoring)
        {
            return;
        }

        const string insert = """
            INSERT INTO scorings(run_id, output, output_sha256, scored, rejects, seconds)
            VALUES($run, $output, $sha, $scored, $rejects, $seconds)
            """;
        await InsertAsync(connection, transaction, insert, cancellationToken,
            ("$run", run.Id), ("$output", scoring.Output), ("$sha", scoring.OutputSha256), ("$scored", scoring.Scored),
            ("$rejects", scoring.Rejects), ("$seconds", scoring.Seconds)).ConfigureAwait(false);
    }

    /// <summary>Runs newest first, optionally of one pipeline and one outcome.</summary>
    public async Task<IReadOnlyList<ExperimentRun>> ListAsync(string? pipeline, string? outcome, int? limit,
        CancellationToken cancellationToken)
    {
        await using var connection = await RunStoreSchema.OpenAsync(Path, cancellationToken).ConfigureAwait(false);
        return await RunStoreReader.ReadAsync(connection, pipeline, outcome, limit, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest run of a pipeline recorded on a branch (CI compares a pull request with its base branch's).</summary>
    public async Task<ExperimentRun?> LastOnBranchAsync(string pipeline, string branch, CancellationToken cancellationToken)
    {
        await using var connection = await RunStoreSchema.OpenAsync(Path, cancellationToken).ConfigureAwait(false);
        var runs = await RunStoreReader.ReadAsync(connection, pipeline, null, 1, null, cancellationToken, branch).ConfigureAwait(false);
        return runs.Count == 0 ? null : runs[0];
    }

    public async Task<ExperimentRun?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await RunStoreSchema.OpenAsync(Path, cancellationToken).ConfigureAwait(false);
        var runs = await RunStoreReader.ReadAsync(connection, null, null, null, id, cancellationToken).ConfigureAwait(false);
        return runs.Count == 0 ? null : runs[0];
    }

    /// <summary>
    /// A run id, or <c>last</c> / <c>last~N</c>: the newest run of <paramref name="pipeline"/>, or the one N runs before it
    /// (as git's <c>HEAD~N</c>), counting only runs that did not end in an error unless <paramref name="includeErrors"/>:
    /// a run that broke is rarely the one to compare. A name that matches nothing is an error listing what there is.
    /// </summary>
    public async Task<ExperimentRun> ResolveAsync(string name, string pipeline, CancellationToken cancellationToken,
        bool includeErrors = false)
    {
        var match = System.Text.RegularExpressions.Regex.Match(name.Trim(), @"^last(?:~(\d+))?$");
        if (match.Success)
        {
            var back = match.Groups[1].Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            var all = await ListAsync(pipeline, null, null, cancellationToken).ConfigureAwait(false);
            var runs = includeErrors ? all : all.Where(r => r.Outcome != RunOutcomes.Error).ToList();
            var errors = all.Count - runs.Count;
            return runs.Count > back ? runs[back]
                : throw new ArgumentException($"'{name}': pipeline '{pipeline}' has {runs.Count} recorded run(s) in {Path}" +
                    (errors > 0
                        ? $" that did not end in an error (and {errors} that did, which last and last~N skip unless asked to count them)"
                        : "") +
                    $"; {name} needs at least {back + 1}.");
        }

        return await FindAsync(name.Trim(), cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException(
                $"There is no run '{name}' in {Path}; the Runs task lists the recorded runs (or use last, last~1, …).");
    }

    /// <summary>Forgets where a run's artifact copy was, once retention deleted it.</summary>
    public async Task ClearArtifactsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await RunStoreSchema.OpenAsync(Path, cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await InsertAsync(connection, transaction, "UPDATE runs SET artifacts = NULL WHERE id = $id", cancellationToken, ("$id", id))
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    // SQLite stores NaN as NULL; the reader turns NULL back into NaN.
    private static double? Finite(double value) => double.IsNaN(value) ? null : value;

    private static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
