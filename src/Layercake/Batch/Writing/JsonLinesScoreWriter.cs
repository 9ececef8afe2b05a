using System.Buffers;
using System.Text.Json;
using Layercake.Batch.Chunks;

namespace Layercake.Batch.Writing;

/// <summary>
/// Scored rows as JSON Lines, one object per row with the columns of <see cref="OutputColumns"/> as properties: kept
/// numbers as JSON numbers, text as strings, a missing value as null.
/// </summary>
internal sealed class JsonLinesScoreWriter(Stream stream, OutputColumns columns) : IScoreWriter
{
    private readonly JsonEncodedText[] _kept = [.. columns.Kept.Select(k => JsonEncodedText.Encode(k.Name))];
    private readonly JsonEncodedText[] _probabilities = [.. columns.ProbabilityNames.Select(n => JsonEncodedText.Encode(n))];

    public EncodedChunk Encode(ScoredChunk chunk)
    {
        var buffer = new PooledBytes(chunk.Rows.Length * 160 + 16);
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        var scored = chunk.Scored;
        for (var i = 0; i < chunk.Rows.Length; i++)
        {
            json.Reset();
            json.WriteStartObject();
            WriteKept(json, chunk, chunk.Rows[i]);
            if (columns.Classifies)
            {
                json.WriteString(OutputColumns.Prediction, scored.Labels![i]);
                for (var k = 0; k < _probabilities.Length; k++)
                {
                    json.WriteNumber(_probabilities[k], scored.Probabilities![i][k]);
                }
            }
            else
            {
                json.WriteNumber(OutputColumns.Prediction, scored.Values![i]);
            }

            json.WriteString(OutputColumns.ModelColumn, columns.Model);
            json.WriteString(OutputColumns.VersionColumn, columns.Version);
            json.WriteEndObject();
            json.Flush();
            buffer.Write("\n"u8);
        }

        return new EncodedChunk(chunk.Rows.Length, buffer, null);
    }

    private void WriteKept(Utf8JsonWriter json, ScoredChunk chunk, int row)
    {
        for (var k = 0; k < _kept.Length; k++)
        {
            var column = chunk.Input.Columns[columns.Kept[k].Index]!;
            if (column.Numbers is { } numbers)
            {
                if (double.IsNaN(numbers[row]))
                {
                    json.WriteNull(_kept[k]);
                }
                else
                {
                    json.WriteNumber(_kept[k], numbers[row]);
                }
            }
            else
            {
                json.WriteString(_kept[k], column.Text(row));
            }
        }
    }

    public async Task WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken)
    {
        var bytes = chunk.Bytes!;
        await stream.WriteAsync(bytes.Buffer.AsMemory(0, bytes.Length), cancellationToken).ConfigureAwait(false);
        bytes.Return();
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
