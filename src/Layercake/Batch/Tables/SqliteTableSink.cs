using Layercake.Batch.Chunks;
using Microsoft.Data.Sqlite;

namespace Layercake.Batch.Tables;

/// <summary>
/// Scored rows into SQLite by one prepared INSERT run per row inside one transaction, into a staging table that takes
/// the table's name at the end (the old table dropped first when replacing); a failed job rolls it all back.
/// </summary>
internal sealed class SqliteTableSink : ITableSink
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly SqliteCommand _insert;
    private readonly TableName _table;
    private readonly string _staging;
    private readonly bool _replace;
    private bool _committed;

    private SqliteTableSink(SqliteConnection connection, SqliteTransaction transaction, SqliteCommand insert, TableName table,
        string staging, bool replace)
    {
        (_connection, _transaction, _insert, _table, _staging, _replace) = (connection, transaction, insert, table, staging, replace);
    }

    public static async Task<SqliteTableSink> OpenAsync(SqliteConnection connection, TableName table, bool replace,
        IReadOnlyList<TableColumn> columns, CancellationToken cancellationToken)
    {
        if (!replace && await ExistsAsync(connection, table, null, cancellationToken).ConfigureAwait(false))
        {
            throw new TableExistsException(table.ToString(), "sqlite database");
        }

        var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var staging = table.Name + "_staging_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        await ExecuteAsync(connection, transaction, $"CREATE TABLE {table.Quoted(staging)} ({string.Join(", ", columns.Select(c =>
            $"{TableName.Quote(c.Name)} {(c.Kind == TableValueKind.Text ? "TEXT" : "REAL")}"))})", cancellationToken).ConfigureAwait(false);
        var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {table.Quoted(staging)} VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < columns.Count; i++)
        {
            var type = columns[i].Kind == TableValueKind.Text ? SqliteType.Text : SqliteType.Real;
            insert.Parameters.Add(new SqliteParameter($"$p{i}", type));
        }

        insert.Prepare();
        return new SqliteTableSink(connection, transaction, insert, table, staging, replace);
    }

    public async Task WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken)
    {
        var columns = chunk.Columns!;
        var parameters = _insert.Parameters;
        for (var r = 0; r < chunk.Rows; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                parameters[c].Value = columns[c] switch
                {
                    double?[] numbers => numbers[r] is { } number ? number : DBNull.Value,
                    float[] floats => (double)floats[r],
                    string?[] texts => (object?)texts[r] ?? DBNull.Value,
                    var other => throw new InvalidOperationException($"No SQLite value for {other.GetType().Name}."),
                };
            }

            await _insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (!_replace && await ExistsAsync(_connection, _table, _transaction, cancellationToken).ConfigureAwait(false))
        {
            // Made by someone else while this job scored.
            throw new TableExistsException(_table.ToString(), "sqlite database");
        }

        var rename = $"ALTER TABLE {_table.Quoted(_staging)} RENAME TO {TableName.Quote(_table.Name)}";
        await ExecuteAsync(_connection, _transaction, _replace ? $"DROP TABLE IF EXISTS {_table.Quoted()}; {rename}" : rename,
            cancellationToken).ConfigureAwait(false);
        await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _insert.DisposeAsync().ConfigureAwait(false);
            if (!_committed)
            {
                await _transaction.RollbackAsync().ConfigureAwait(false);
            }
        }
        catch (SqliteException)
        {
            // SQLite rolls back an open transaction when its connection closes.
        }
        finally
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<bool> ExistsAsync(SqliteConnection connection, TableName table, SqliteTransaction? transaction,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT count(*) FROM {TableName.Quote(table.Schema ?? "main")}.sqlite_master "
            + "WHERE type IN ('table', 'view') AND name = $name COLLATE NOCASE";
        command.Parameters.AddWithValue("$name", table.Name);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
