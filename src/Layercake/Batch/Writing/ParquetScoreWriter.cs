using System.Buffers;
using Layercake.Batch.Chunks;
using Parquet;
using Parquet.Schema;

namespace Layercake.Batch.Writing;

/// <summary>
/// Scored rows as Parquet, one row group per chunk: kept numeric columns as nullable doubles, kept text as strings, the
/// prediction as the class name or a float32 value, each probability as float32 (the model's own values, unrounded).
/// A nullable double column of a chunk (16 bytes a row) is rented from the shared pool and given back once written: as
/// its own array it was a large-object-heap allocation per chunk and column, and each one's collection a full, blocking one.
/// </summary>
internal sealed class ParquetScoreWriter : IScoreWriter
{
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly OutputColumns _columns;
    private bool _completed;

    private ParquetScoreWriter(ParquetWriter writer, DataField[] fields, OutputColumns columns)
    {
        _writer = writer;
        _fields = fields;
        _columns = columns;
    }

    public static async Task<ParquetScoreWriter> CreateAsync(Stream stream, OutputColumns columns, CancellationToken cancellationToken)
    {
        var fields = new List<DataField>();
        fields.AddRange(columns.Kept.Select(k => k.Numeric ? (DataField)new DataField<double?>(k.Name) : new DataField<string>(k.Name)));
        fields.Add(columns.Classifies ? new DataField<string>(OutputColumns.Prediction) : new DataField<float>(OutputColumns.Prediction));
        fields.AddRange(columns.ProbabilityNames.Select(n => new DataField<float>(n)));
        fields.Add(new DataField<string>(OutputColumns.ModelColumn));
        fields.Add(new DataField<string>(OutputColumns.VersionColumn));
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields.ToArray()), stream,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ParquetScoreWriter(writer, [.. fields], columns);
    }

    public EncodedChunk Encode(ScoredChunk chunk)
    {
        var rows = chunk.Rows;
        var arrays = new List<Array>(_fields.Length);
        foreach (var (_, index, numeric) in _columns.Kept)
        {
            var column = chunk.Input.Columns[index]!;
            arrays.Add(numeric ? Numbers(column.Numbers!, rows) : Array.ConvertAll(rows, column.Text));
        }

        var scored = chunk.Scored;
        arrays.Add(_columns.Classifies ? scored.Labels!.ToArray() : scored.Values!.ToArray());
        for (var k = 0; k < _columns.ProbabilityNames.Count; k++)
        {
            var probabilities = new float[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                probabilities[i] = scored.Probabilities![i][k];
            }

            arrays.Add(probabilities);
        }

        arrays.Add(Enumerable.Repeat(_columns.Model, rows.Length).ToArray());
        arrays.Add(Enumerable.Repeat(_columns.Version, rows.Length).ToArray());
        return new EncodedChunk(rows.Length, null, arrays);
    }

    private static double?[] Numbers(double[] values, int[] rows)
    {
        var numbers = ArrayPool<double?>.Shared.Rent(rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            var value = values[rows[i]];
            numbers[i] = double.IsNaN(value) ? null : value;
        }

        return numbers;
    }

    public async Task WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken)
    {
        if (chunk.Rows == 0)
        {
            return;
        }

        using var group = _writer.CreateRowGroup();
        for (var f = 0; f < _fields.Length; f++)
        {
            switch (chunk.Columns![f])
            {
                case string?[] texts:
                    await group.WriteAsync(_fields[f], texts!).ConfigureAwait(false);
                    break;
                case double?[] numbers:
                    await group.WriteAsync(_fields[f], new ReadOnlyMemory<double?>(numbers, 0, chunk.Rows),
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                    ArrayPool<double?>.Shared.Return(numbers);
                    break;
                case float[] floats:
                    await group.WriteAsync(_fields[f], new ReadOnlyMemory<float>(floats),
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidOperationException($"No Parquet column for {chunk.Columns[f].GetType().Name}.");
            }
        }
    }

    /// <summary>Parquet.Net writes the footer when its writer is disposed.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            _completed = true;
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
