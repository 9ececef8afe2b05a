using System.Data.Common;
using Layercake.Pipelines.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Layercake.Development.Data.Sources;

/// <summary>
/// Opens a PostgreSQL or SQLite connection from the connection string in an environment variable. The string is never
/// put in a message: a provider's own message may quote it, so errors name only the variable and the error's type.
/// </summary>
internal static class DatabaseConnection
{
    public static string KindName(QuerySourceKind kind) => kind == QuerySourceKind.Postgres ? "postgres" : "sqlite";

    /// <param name="setting">Where the variable is named, for the error when it is not set (e.g. <c>source.connection_env</c>).</param>
    public static async Task<DbConnection> OpenAsync(QuerySourceKind kind, string variable, string setting,
        CancellationToken cancellationToken)
    {
        var name = KindName(kind);
        var connectionString = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"{setting} names {variable}, which is not set; set it to the {name} connection string");
        }

        var connection = Create(kind, variable, connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (e is DbException or ArgumentException or InvalidOperationException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"cannot connect to {name} with the connection string in {variable} ({e.GetType().Name}{(
                e is DbException db && db.SqlState is { } state ? $", SQL state {state}" : "")})");
        }
    }

    private static DbConnection Create(QuerySourceKind kind, string variable, string connectionString)
    {
        try
        {
            return kind == QuerySourceKind.Postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"the connection string in {variable} is not valid for this database ({e.GetType().Name})");
        }
    }
}
