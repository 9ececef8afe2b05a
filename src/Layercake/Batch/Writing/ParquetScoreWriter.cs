using System.Buffers;
using Layercake.Batch.Chunks;

namespace Layercake.Batch.Writing;

/// <summary>
/// Scored rows as Parquet, one row group per chunk: kept numeric columns as optional doubles, kept text as UTF-8 text,
/// the prediction as the class name or a float32 value, each probability as float32 (the model's own values, unrounded),
/// then the model and version. Each row group's pages are encoded on the core that scored its chunk
/// (<see cref="ParquetColumnEncoder"/>); the one writer copies them out in order and writes the footer at the end, so
/// writing no longer bounds the job (docs/decisions/0097-parquet-output-encoded-on-every-core.md).
/// </summary>
internal sealed class ParquetScoreWriter : IScoreWriter
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly Stream _stream;
    private readonly OutputColumns _columns;
    private readonly IReadOnlyList<(string Name, ParquetColumnType Type)> _schema;
    private readonly List<ParquetRowGroup> _groups = [];
    private long _position;
    private bool _completed;

    private ParquetScoreWriter(Stream stream, OutputColumns columns)
    {
        _stream = stream;
        _columns = columns;
        _schema =
        [
            .. columns.Kept.Select(k => (k.Name, k.Numeric ? ParquetColumnType.Double : ParquetColumnType.Text)),
            (OutputColumns.Prediction, columns.Classifies ? ParquetColumnType.Text : ParquetColumnType.Float),
            .. columns.ProbabilityNames.Select(n => (n, ParquetColumnType.Float)),
            (OutputColumns.ModelColumn, ParquetColumnType.Text),
            (OutputColumns.VersionColumn, ParquetColumnType.Text),
        ];
    }

    public static async Task<ParquetScoreWriter> CreateAsync(Stream stream, OutputColumns columns, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Magic, cancellationToken).ConfigureAwait(false);
        return new ParquetScoreWriter(stream, columns) { _position = Magic.Length };
    }

    public EncodedChunk Encode(ScoredChunk chunk)
    {
        var rows = chunk.Rows;
        if (rows.Length == 0)
        {
            // Every row rejected: no predictions, and no row group (Parquet readers expect none to be empty).
            return new EncodedChunk(0, null, null);
        }

        var bytes = new PooledBytes(rows.Length * 8 * _schema.Count);
        using var encoder = new ParquetColumnEncoder(bytes);
        var parts = new List<ParquetColumnChunk>(_schema.Count);
        var texts = ArrayPool<string?>.Shared.Rent(rows.Length);
        var floats = ArrayPool<float>.Shared.Rent(rows.Length);
        try
        {
            foreach (var (_, index, numeric) in _columns.Kept)
            {
                var column = chunk.Input.Columns[index]!;
                parts.Add(numeric ? encoder.Doubles(column.Numbers!, rows) : encoder.Strings(Texts(texts, rows, column)));
            }

            var scored = chunk.Scored;
            parts.Add(_columns.Classifies ? encoder.Strings(scored.Labels!) : encoder.Floats(Copy(floats, scored.Values!)));
            for (var k = 0; k < _columns.ProbabilityNames.Count; k++)
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    floats[i] = scored.Probabilities![i][k];
                }

                parts.Add(encoder.Floats(floats.AsSpan(0, rows.Length)));
            }

            parts.Add(encoder.Strings(Same(texts, rows.Length, _columns.Model)));
            parts.Add(encoder.Strings(Same(texts, rows.Length, _columns.Version)));
        }
        finally
        {
            ArrayPool<string?>.Shared.Return(texts, clearArray: true);
            ArrayPool<float>.Shared.Return(floats);
        }

        return new EncodedChunk(rows.Length, bytes, null, parts);
    }

    private static ArraySegment<string?> Texts(string?[] texts, int[] rows, ChunkColumn column)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            texts[i] = column.Text(rows[i]);
        }

        return new ArraySegment<string?>(texts, 0, rows.Length);
    }

    private static ArraySegment<string?> Same(string?[] texts, int count, string value)
    {
        Array.Fill(texts, value, 0, count);
        return new ArraySegment<string?>(texts, 0, count);
    }

    private static ReadOnlySpan<float> Copy(float[] floats, IReadOnlyList<float> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            floats[i] = values[i];
        }

        return floats.AsSpan(0, values.Count);
    }

    public async Task WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken)
    {
        if (chunk.Bytes is not { } bytes)
        {
            return;
        }

        try
        {
            await _stream.WriteAsync(bytes.Buffer.AsMemory(0, bytes.Length), cancellationToken).ConfigureAwait(false);
            _groups.Add(new ParquetRowGroup(_position, chunk.Rows, chunk.Parquet!));
            _position += bytes.Length;
        }
        finally
        {
            bytes.Return();
        }
    }

    /// <summary>The footer, its length and the closing magic bytes: the file is complete only once they are written.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        var footer = new PooledBytes(1 << 16);
        try
        {
            ParquetFooter.Write(new ThriftCompactWriter(footer), _schema, _groups);
            ThriftCompactWriter.Int32(footer, footer.Length);
            Magic.CopyTo(footer.GetSpan(Magic.Length));
            footer.Advance(Magic.Length);
            await _stream.WriteAsync(footer.Buffer.AsMemory(0, footer.Length), cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            footer.Return();
        }
    }

    /// <summary>The stream belongs to the caller, which discards it unless the job completed.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
