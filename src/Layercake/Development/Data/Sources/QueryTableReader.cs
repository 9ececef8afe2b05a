using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Layercake.Development.Data.Sources;

/// <summary>
/// Runs a <c>source:</c> query and reads its result into the same table a CSV gives, column by column. The connection string
/// comes from the environment variable the pipeline names and is never put in a message: errors name the variable.
/// Also hashes the result's content (column names, then every value in the query's order) for lineage.
/// </summary>
internal static class QueryTableReader
{
    public static async Task<QueryTable> ReadAsync(QuerySource source, CancellationToken cancellationToken)
    {
        var kind = source.Kind == QuerySourceKind.Postgres ? "postgres" : "sqlite";
        var connectionString = Environment.GetEnvironmentVariable(source.ConnectionEnv);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"source.connection_env names {source.ConnectionEnv}, which is not set; set it to the {kind} connection string");
        }

        await using var connection = Open(source, connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or ArgumentException or InvalidOperationException)
        {
            // The provider's message may quote the connection string; only its type and the variable's name are safe.
            throw new InvalidOperationException($"cannot connect to {kind} with the connection string in {source.ConnectionEnv} ({e.GetType().Name}{(e is DbException db && db.SqlState is { } state ? $", SQL state {state}" : "")})");
        }

        var locator = RowLocator.ForQuery(kind, source.Query);
        await using var command = connection.CreateCommand();
        command.CommandText = source.Query;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        SourceColumn[] columns;
        var rows = 0;
        string[] header;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            header = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            columns = header.Select(_ => new SourceColumn()).ToArray();
            Append(hash, header);
            var row = new string[header.Length];
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                for (var c = 0; c < row.Length; c++)
                {
                    row[c] = SourceValueText.Format(reader.IsDBNull(c) ? null : reader.GetValue(c));
                    columns[c].Add(row[c]);
                }

                Append(hash, row);
                rows++;
            }
        }
        catch (DbException e)
        {
            throw new DataValidationException(locator, 1, $"the query failed: {e.Message.Split('\n')[0]}");
        }

        if (rows == 0)
        {
            throw new DataValidationException(locator, 1, "the query returned no rows");
        }

        var table = new RawTable(locator.File, header, columns, Enumerable.Range(2, rows).ToArray()) { Locator = locator };
        return new QueryTable(table, Convert.ToHexStringLower(hash.GetHashAndReset()), $"{kind} {connection.ServerVersion}");
    }

    private static DbConnection Open(QuerySource source, string connectionString)
    {
        try
        {
            return source.Kind == QuerySourceKind.Postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"the connection string in {source.ConnectionEnv} is not valid for this database ({e.GetType().Name})");
        }
    }

    // Each value with its length first, so ("a,b") and ("a", "b") never hash alike.
    private static void Append(IncrementalHash hash, string[] values)
    {
        foreach (var value in values)
        {
            hash.AppendData(BitConverter.GetBytes(value.Length));
            hash.AppendData(Encoding.UTF8.GetBytes(value));
        }
    }
}
