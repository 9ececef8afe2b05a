using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Layercake.Development.Data.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Data;

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
        var kind = DatabaseConnection.KindName(source.Kind);
        await using var connection = await DatabaseConnection.OpenAsync(source.Kind, source.ConnectionEnv, "source.connection_env",
            cancellationToken).ConfigureAwait(false);
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
