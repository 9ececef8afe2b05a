using Layercake.Batch.Chunks;
using Npgsql;
using NpgsqlTypes;

namespace Layercake.Batch.Tables;

/// <summary>
/// Scored rows into PostgreSQL by binary COPY into a staging table created in the job's transaction; at the end the
/// staging table takes the table's name (the old table dropped first when replacing) and the transaction commits, so
/// readers of an old table are blocked only for the rename, and a failed job leaves nothing behind.
/// </summary>
internal sealed class PostgresTableSink : ITableSink
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly NpgsqlBinaryImporter _importer;
    private readonly TableName _table;
    private readonly string _staging;
    private readonly NpgsqlDbType[] _types;
    private readonly bool _replace;
    private bool _copied;
    private bool _committed;

    private PostgresTableSink(NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlBinaryImporter importer,
        TableName table, string staging, NpgsqlDbType[] types, bool replace)
    {
        (_connection, _transaction, _importer, _table, _staging, _types, _replace) =
            (connection, transaction, importer, table, staging, types, replace);
    }

    public static async Task<PostgresTableSink> OpenAsync(NpgsqlConnection connection, TableName table, bool replace,
        IReadOnlyList<TableColumn> columns, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("name", table.Quoted());
            if (!replace && (bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                throw new TableExistsException(table.ToString(), "postgres database");
            }
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var staging = table.Name + "_staging_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
        var names = string.Join(", ", columns.Select(c => TableName.Quote(c.Name)));
        await using (var create = new NpgsqlCommand($"CREATE TABLE {table.Quoted(staging)} ({string.Join(", ", columns.Select(c =>
            $"{TableName.Quote(c.Name)} {SqlType(c.Kind)}"))})", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var importer = await connection.BeginBinaryImportAsync($"COPY {table.Quoted(staging)} ({names}) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false);
        var types = columns.Select(c => c.Kind switch
        {
            TableValueKind.Double => NpgsqlDbType.Double,
            TableValueKind.Float => NpgsqlDbType.Real,
            _ => NpgsqlDbType.Text,
        }).ToArray();
        return new PostgresTableSink(connection, transaction, importer, table, staging, types, replace);
    }

    public async Task WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken)
    {
        var columns = chunk.Columns!;
        for (var r = 0; r < chunk.Rows; r++)
        {
            await _importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            for (var c = 0; c < columns.Count; c++)
            {
                var task = columns[c] switch
                {
                    double?[] { } numbers when numbers[r] is { } number => _importer.WriteAsync(number, _types[c], cancellationToken),
                    float[] floats => _importer.WriteAsync(floats[r], _types[c], cancellationToken),
                    string?[] texts when texts[r] is { } text => _importer.WriteAsync(text, _types[c], cancellationToken),
                    _ => _importer.WriteNullAsync(cancellationToken),
                };
                await task.ConfigureAwait(false);
            }
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        _copied = true;
        await _importer.DisposeAsync().ConfigureAwait(false);
        var rename = $"ALTER TABLE {_table.Quoted(_staging)} RENAME TO {TableName.Quote(_table.Name)}";
        await using var command = new NpgsqlCommand(_replace ? $"DROP TABLE IF EXISTS {_table.Quoted()}; {rename}" : rename, _connection,
            _transaction);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateTable)
        {
            // Made by someone else while this job scored.
            throw new TableExistsException(_table.ToString(), "postgres database");
        }

        await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_copied)
            {
                // Disposing an importer that was not completed cancels the COPY.
                await _importer.DisposeAsync().ConfigureAwait(false);
            }

            if (!_committed)
            {
                await _transaction.RollbackAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection broke with the job: the server rolls the transaction back when it goes.
        }
        finally
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string SqlType(TableValueKind kind) => kind switch
    {
        TableValueKind.Double => "double precision",
        TableValueKind.Float => "real",
        _ => "text",
    };
}
