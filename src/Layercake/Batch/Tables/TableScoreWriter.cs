using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Layercake.Batch.Chunks;
using Layercake.Batch.Writing;
using Layercake.Development.Data.Sources;
using Layercake.Pipelines.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Layercake.Batch.Tables;

/// <summary>
/// Scored rows into a database table through a <see cref="ITableSink"/>, with the sha256 of what was written (the column
/// names, then every value in row order) standing for the table's in lineage and the run store.
/// </summary>
internal sealed class TableScoreWriter(ITableSink sink, OutputColumns columns) : IScoreWriter
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _number = new byte[9];

    public string? Sha256 { get; private set; }

    /// <summary>Connects, refuses a table that exists unless it is to be replaced, and opens the job's transaction.</summary>
    public static async Task<TableScoreWriter> OpenAsync(OutputTable target, OutputColumns columns, CancellationToken cancellationToken)
    {
        var table = TableName.Parse(target.Name);
        var typed = TableColumn.For(columns);
        var connection = await DatabaseConnection.OpenAsync(target.Kind, target.ConnectionEnv, "The output table's connection_env",
            cancellationToken).ConfigureAwait(false);
        try
        {
            ITableSink sink = target.Kind == QuerySourceKind.Postgres
                ? await PostgresTableSink.OpenAsync((NpgsqlConnection)connection, table, target.Replace, typed, cancellationToken)
                    .ConfigureAwait(false)
                : await SqliteTableSink.OpenAsync((SqliteConnection)connection, table, target.Replace, typed, cancellationToken)
                    .ConfigureAwait(false);
            var writer = new TableScoreWriter(sink, columns);
            foreach (var column in typed)
            {
                writer.AppendText(column.Name);
            }

            return writer;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public EncodedChunk Encode(ScoredChunk chunk)
    {
        var rows = chunk.Rows;
        var arrays = new List<Array>();
        foreach (var (_, index, numeric) in columns.Kept)
        {
            var column = chunk.Input.Columns[index]!;
            arrays.Add(numeric
                ? Array.ConvertAll(rows, r => double.IsNaN(column.Numbers![r]) ? (double?)null : column.Numbers![r])
                : Array.ConvertAll(rows, column.Text));
        }

        var scored = chunk.Scored;
        arrays.Add(columns.Classifies ? scored.Labels!.ToArray() : scored.Values!.ToArray());
        for (var k = 0; k < columns.ProbabilityNames.Count; k++)
        {
            arrays.Add(Enumerable.Range(0, rows.Length).Select(i => scored.Probabilities![i][k]).ToArray());
        }

        arrays.Add(Enumerable.Repeat(columns.Model, rows.Length).ToArray());
        arrays.Add(Enumerable.Repeat(columns.Version, rows.Length).ToArray());
        return new EncodedChunk(rows.Length, null, arrays);
    }

    public async Task WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken)
    {
        Hash(chunk);
        await sink.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
        Sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        await sink.DisposeAsync().ConfigureAwait(false);
    }

    // Each value tagged and sized, so that no two different tables hash alike.
    private void Hash(EncodedChunk chunk)
    {
        for (var r = 0; r < chunk.Rows; r++)
        {
            foreach (var column in chunk.Columns!)
            {
                switch (column)
                {
                    case double?[] numbers:
                        AppendNumber(numbers[r]);
                        break;
                    case float[] floats:
                        AppendNumber(floats[r]);
                        break;
                    case string?[] texts:
                        AppendText(texts[r]);
                        break;
                    default:
                        throw new InvalidOperationException($"No table column for {column.GetType().Name}.");
                }
            }
        }
    }

    private void AppendNumber(double? value)
    {
        _number[0] = value is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteDoubleLittleEndian(_number.AsSpan(1), value ?? 0);
        _hash.AppendData(_number);
    }

    private void AppendText(string? value)
    {
        _hash.AppendData(BitConverter.GetBytes(value is null ? -1 : value.Length));
        if (value is not null)
        {
            _hash.AppendData(Encoding.UTF8.GetBytes(value));
        }
    }
}
