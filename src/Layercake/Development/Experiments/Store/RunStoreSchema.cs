using Microsoft.Data.Sqlite;

namespace Layercake.Development.Experiments.Store;

/// <summary>
/// The run store's tables, as forward migrations numbered by SQLite's <c>user_version</c>. A store written by an
/// older Layercake is brought forward in one transaction, never reset; one written by a newer Layercake is refused.
/// </summary>
internal static class RunStoreSchema
{
    /// <summary>Migration i takes the store from version i to i + 1. Never edit one that has shipped; add another.</summary>
    public static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE runs(
            id TEXT PRIMARY KEY, pipeline TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT NOT NULL, outcome TEXT NOT NULL,
            failed_gates TEXT NOT NULL, error_stage TEXT, error_message TEXT, git_commit TEXT NOT NULL, git_dirty INTEGER NOT NULL,
            pipeline_file TEXT NOT NULL, pipeline_yaml TEXT NOT NULL, data_file TEXT NOT NULL, data_sha256 TEXT, data_rows INTEGER,
            primary_metric TEXT, higher_is_better INTEGER NOT NULL, winner TEXT, registered_version TEXT, artifacts TEXT);
        CREATE INDEX runs_by_pipeline ON runs(pipeline, started_at);
        CREATE TABLE candidates(
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, name TEXT NOT NULL, kind TEXT NOT NULL,
            is_baseline INTEGER NOT NULL, parameters TEXT NOT NULL, PRIMARY KEY(run_id, name));
        CREATE TABLE metrics(
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, candidate TEXT NOT NULL, metric TEXT NOT NULL,
            mean REAL, std REAL, PRIMARY KEY(run_id, candidate, metric));
        CREATE TABLE fold_metrics(
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, candidate TEXT NOT NULL, metric TEXT NOT NULL,
            fold INTEGER NOT NULL, value REAL, PRIMARY KEY(run_id, candidate, metric, fold));
        CREATE TABLE stages(
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, ordinal INTEGER NOT NULL, stage TEXT NOT NULL,
            status TEXT NOT NULL, seconds REAL NOT NULL, PRIMARY KEY(run_id, ordinal));
        """,
        // Version 2: the branch (CI compares with the base branch's last run), re-runs, and search trials.
        """
        ALTER TABLE runs ADD COLUMN git_branch TEXT;
        ALTER TABLE runs ADD COLUMN rerun_of TEXT;
        CREATE TABLE trials(
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, candidate TEXT NOT NULL, trial INTEGER NOT NULL,
            parameters TEXT NOT NULL, metrics TEXT NOT NULL, PRIMARY KEY(run_id, candidate, trial));
        """,
        // Version 3: batch-scoring runs, whose version, input and its sha256 are the run's own columns.
        """
        CREATE TABLE scorings(
            run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE, output TEXT NOT NULL, output_sha256 TEXT,
            scored INTEGER NOT NULL, rejects INTEGER NOT NULL, seconds REAL NOT NULL);
        """,
    ];

    public static int CurrentVersion => Migrations.Count;

    /// <summary>Opens the store at <paramref name="path"/>, creating or migrating it; WAL, and waits on a busy store rather than
    /// failing.</summary>
    public static async Task<SqliteConnection> OpenAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // WAL lets a reader (Runs, Compare) and a writer (a build finishing) work at once; a writer waits
            // up to 30 s for another writer instead of failing with SQLITE_BUSY.
            await ExecuteAsync(connection,
                "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                cancellationToken).ConfigureAwait(false);
            await MigrateAsync(connection, path, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task MigrateAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        var version = await VersionAsync(connection, cancellationToken).ConfigureAwait(false);
        Refuse(version, path);
        if (version == CurrentVersion)
        {
            return;
        }

        // IMMEDIATE: two builds opening a new store at once must not both migrate it; the second waits, re-reads, skips.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        version = await VersionAsync(connection, cancellationToken).ConfigureAwait(false);
        Refuse(version, path);
        for (var step = version; step < CurrentVersion; step++)
        {
            await ExecuteAsync(connection, Migrations[step], cancellationToken, transaction).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, $"PRAGMA user_version = {CurrentVersion}", cancellationToken, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Refuse(int version, string path)
    {
        if (version > CurrentVersion)
        {
            throw new InvalidDataException(
                $"{path}: the run store has schema version {version}, but this Layercake reads versions up to {CurrentVersion}. It was " +
                    $"written by a newer Layercake; use that version, or use another run store file. The store was not changed.");
        }
    }

    public static async Task<int> VersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken,
        SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
