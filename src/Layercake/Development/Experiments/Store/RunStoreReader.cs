using System.Globalization;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;
using Layercake.Shared.IO;
using Microsoft.Data.Sqlite;

namespace Layercake.Development.Experiments.Store;

/// <summary>Reads runs back, with their candidates, metrics per fold, stages and trials, in one read transaction.</summary>
internal static class RunStoreReader
{
    public static async Task<IReadOnlyList<ExperimentRun>> ReadAsync(
        SqliteConnection connection, string? pipeline, string? outcome, int? limit, string? id, CancellationToken cancellationToken,
            string? branch = null)
    {
        // One snapshot: a build recording meanwhile is seen wholly or not at all.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var runs = new List<ExperimentRun>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT id, pipeline, started_at, ended_at, outcome, failed_gates, error_stage, error_message,
                    git_commit, git_dirty, git_branch, pipeline_file, pipeline_yaml, data_file, data_sha256, data_rows,
                    primary_metric, higher_is_better, winner, registered_version, artifacts, rerun_of
                FROM runs
                WHERE ($pipeline IS NULL OR pipeline = $pipeline) AND ($outcome IS NULL OR outcome = $outcome)
                    AND ($id IS NULL OR id = $id) AND ($branch IS NULL OR git_branch = $branch)
                ORDER BY started_at DESC, id DESC LIMIT $limit
                """;
            command.Parameters.AddWithValue("$pipeline", (object?)pipeline ?? DBNull.Value);
            command.Parameters.AddWithValue("$outcome", (object?)outcome ?? DBNull.Value);
            command.Parameters.AddWithValue("$id", (object?)id ?? DBNull.Value);
            command.Parameters.AddWithValue("$branch", (object?)branch ?? DBNull.Value);
            command.Parameters.AddWithValue("$limit", limit ?? -1);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                runs.Add(Run(reader));
            }
        }

        for (var i = 0; i < runs.Count; i++)
        {
            runs[i] = runs[i] with
            {
                Candidates = await CandidatesAsync(connection, transaction, runs[i].Id, cancellationToken).ConfigureAwait(false),
                Stages = await StagesAsync(connection, transaction, runs[i].Id, cancellationToken).ConfigureAwait(false),
                Trials = await TrialsAsync(connection, transaction, runs[i].Id, cancellationToken).ConfigureAwait(false),
                Scoring = await ScoringAsync(connection, transaction, runs[i].Id, cancellationToken).ConfigureAwait(false),
            };
        }

        return runs;
    }

    /// <summary>A row of the runs table, in the order the query selects its columns.</summary>
    private static ExperimentRun Run(SqliteDataReader reader)
    {
        return new ExperimentRun
        {
            Id = reader.GetString(0),
            Pipeline = reader.GetString(1),
            StartedAt = ParseTime(reader.GetString(2)),
            EndedAt = ParseTime(reader.GetString(3)),
            Outcome = reader.GetString(4),
            FailedGates = PackageJson.Deserialize<string[]>(reader.GetString(5), "runs.failed_gates"),
            ErrorStage = Text(reader, 6),
            ErrorMessage = Text(reader, 7),
            GitCommit = reader.GetString(8),
            GitDirty = reader.GetBoolean(9),
            GitBranch = Text(reader, 10),
            PipelineFile = reader.GetString(11),
            PipelineYaml = reader.GetString(12),
            DataFile = reader.GetString(13),
            DataSha256 = Text(reader, 14),
            DataRows = reader.IsDBNull(15) ? null : reader.GetInt32(15),
            PrimaryMetric = Text(reader, 16),
            HigherIsBetter = reader.GetBoolean(17),
            Winner = Text(reader, 18),
            RegisteredVersion = Text(reader, 19),
            ArtifactsFolder = Text(reader, 20),
            RerunOf = Text(reader, 21),
        };
    }

    private static async Task<IReadOnlyList<RunCandidate>> CandidatesAsync(SqliteConnection connection, SqliteTransaction transaction,
        string run, CancellationToken cancellationToken)
    {
        var folds = new Dictionary<(string, string), List<double>>();
        foreach (
            var row in await RowsAsync(connection, transaction,
            "SELECT candidate, metric, value FROM fold_metrics WHERE run_id = $run ORDER BY candidate, metric, fold", run,
            cancellationToken).ConfigureAwait(false))
        {
            var key = ((string)row[0]!, (string)row[1]!);
            (folds.TryGetValue(key, out var list) ? list : folds[key] = []).Add(Number(row[2]));
        }

        var metrics = new Dictionary<string, Dictionary<string, MetricSummary>>();
        foreach (
            var row in await RowsAsync(connection, transaction,
            "SELECT candidate, metric, mean, std FROM metrics WHERE run_id = $run ORDER BY rowid", run, cancellationToken)
            .ConfigureAwait(false))
        {
            var (candidate, metric) = ((string)row[0]!, (string)row[1]!);
            (metrics.TryGetValue(candidate, out var map) ? map : metrics[candidate] = [])[metric] =
                new MetricSummary(Number(row[2]), Number(row[3]), folds.TryGetValue((candidate, metric), out var values) ? values : []);
        }

        return (await RowsAsync(connection, transaction,
            "SELECT name, kind, is_baseline, parameters FROM candidates WHERE run_id = $run ORDER BY rowid", run, cancellationToken)
            .ConfigureAwait(false))
            .Select(row => new RunCandidate(
                (string)row[0]!, (string)row[1]!, Convert.ToInt64(row[2], CultureInfo.InvariantCulture) != 0,
                PackageJson.Deserialize<Dictionary<string, double>>((string)row[3]!, "candidates.parameters"),
                metrics.TryGetValue((string)row[0]!, out var map) ? map : []))
            .ToArray();
    }

    private static async Task<IReadOnlyList<RunStage>> StagesAsync(SqliteConnection connection, SqliteTransaction transaction, string run,
        CancellationToken cancellationToken) =>
        (await RowsAsync(connection, transaction, "SELECT stage, seconds, status FROM stages WHERE run_id = $run ORDER BY ordinal", run,
            cancellationToken).ConfigureAwait(false))
            .Select(row => new RunStage((string)row[0]!, Number(row[1]), (string)row[2]!)).ToArray();

    private static async Task<IReadOnlyList<RunTrial>> TrialsAsync(SqliteConnection connection, SqliteTransaction transaction, string run,
        CancellationToken cancellationToken) =>
        (await RowsAsync(connection, transaction,
            "SELECT candidate, trial, parameters, metrics FROM trials WHERE run_id = $run ORDER BY candidate, trial", run,
            cancellationToken).ConfigureAwait(false))
            .Select(row => new RunTrial((string)row[0]!, Convert.ToInt32(row[1], CultureInfo.InvariantCulture),
                PackageJson.Deserialize<Dictionary<string, double>>((string)row[2]!, "trials.parameters"),
                PackageJson.Deserialize<Dictionary<string, double>>((string)row[3]!, "trials.metrics"))).ToArray();

    private static async Task<ScoringRun?> ScoringAsync(
        SqliteConnection connection, SqliteTransaction transaction, string run, CancellationToken cancellationToken)
    {
        const string select = "SELECT output, output_sha256, scored, rejects, seconds FROM scorings WHERE run_id = $run";
        var rows = await RowsAsync(connection, transaction, select, run, cancellationToken).ConfigureAwait(false);
        return rows.Select(row => new ScoringRun((string)row[0]!, (string?)row[1], Convert.ToInt64(row[2], CultureInfo.InvariantCulture),
            Convert.ToInt64(row[3], CultureInfo.InvariantCulture), Number(row[4]))).FirstOrDefault();
    }

    private static async Task<List<object?[]>> RowsAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, string run,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$run", run);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static double Number(object? value) => value is null ? double.NaN : Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static string? Text(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
