using System.Globalization;
using System.Text;
using Layercake.Batch.Chunks;

namespace Layercake.Batch.Writing;

/// <summary>
/// Scored rows as RFC 4180 CSV with a header: invariant culture, numbers in their shortest round-trip form, a field
/// quoted when it holds a comma, a quote or a line break, an empty field for a missing value.
/// </summary>
internal sealed class CsvScoreWriter(Stream stream, OutputColumns columns) : IScoreWriter
{
    private static readonly UTF8Encoding Utf8 = new(false);
    private bool _headerWritten;

    public EncodedChunk Encode(ScoredChunk chunk)
    {
        var text = new StringBuilder();
        var scored = chunk.Scored;
        for (var i = 0; i < chunk.Rows.Length; i++)
        {
            var row = chunk.Rows[i];
            foreach (var (_, index, _) in columns.Kept)
            {
                Field(text, chunk.Input.Columns[index]!.Text(row));
                text.Append(',');
            }

            if (columns.Classifies)
            {
                Field(text, scored.Labels![i]);
                foreach (var probability in scored.Probabilities![i])
                {
                    text.Append(',').Append(probability.ToString("R", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                text.Append(scored.Values![i].ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append(',');
            Field(text, columns.Model);
            text.Append(',');
            Field(text, columns.Version);
            text.Append('\n');
        }

        // Encoded chunk by chunk of the builder into pooled bytes: no large string or array per chunk.
        var bytes = new PooledBytes(Utf8.GetMaxByteCount(text.Length));
        foreach (var part in text.GetChunks())
        {
            bytes.Advance(Utf8.GetBytes(part.Span, bytes.GetSpan(Utf8.GetMaxByteCount(part.Length))));
        }

        return new EncodedChunk(chunk.Rows.Length, bytes, null);
    }

    public async Task WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken)
    {
        if (!_headerWritten)
        {
            _headerWritten = true;
            var header = new StringBuilder();
            foreach (var name in columns.Names)
            {
                Field(header.Append(header.Length == 0 ? "" : ","), name);
            }

            await stream.WriteAsync(Utf8.GetBytes(header.Append('\n').ToString()), cancellationToken).ConfigureAwait(false);
        }

        if (chunk.Bytes is { } bytes)
        {
            await stream.WriteAsync(bytes.Buffer.AsMemory(0, bytes.Length), cancellationToken).ConfigureAwait(false);
            bytes.Return();
        }
    }

    public Task CompleteAsync(CancellationToken cancellationToken) =>
        _headerWritten ? Task.CompletedTask : WriteAsync(new EncodedChunk(0, null, null), cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void Field(StringBuilder text, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            text.Append(value);
            return;
        }

        text.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
