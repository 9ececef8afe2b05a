using Layercake.Batch.Chunks;
using Layercake.Development.Data;
using Layercake.Development.Data.Sources;

namespace Layercake.Batch.Reading;

/// <summary>
/// Chunks of a table Prepare's own readers read whole (CSV, JSON Lines, a query's result), so a scored file is read
/// exactly as a training file is: the same encoding checks, the same located errors. Its memory grows with the table.
/// </summary>
internal sealed class TableChunkReader(RawTable table) : IChunkReader
{
    public IReadOnlyList<string> Header => table.Header;

    public IReadOnlyList<bool> Numeric { get; } = table.Header.Select(_ => false).ToArray();

    public async IAsyncEnumerable<InputChunk> ReadAsync(
        IReadOnlySet<int> needed, int chunkRows,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Line numbers only mean something in a file with lines; a Parquet or query table numbers its rows.
        var hasLines = table.Locator.RowGroupStarts is null && table.Locator.Query is null;
        for (var start = 0; start < table.RowCount; start += chunkRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(chunkRows, table.RowCount - start);
            var columns = new ChunkColumn?[table.Header.Count];
            foreach (var c in needed)
            {
                var texts = new string?[count];
                for (var r = 0; r < count; r++)
                {
                    texts[r] = table.Columns[c].Text(start + r);
                }

                columns[c] = new ChunkColumn(null, texts);
            }

            int[]? lines = null;
            if (hasLines)
            {
                lines = new int[count];
                for (var r = 0; r < count; r++)
                {
                    lines[r] = table.Lines[start + r];
                }
            }

            yield return new InputChunk(start, count, columns, lines);
            await Task.Yield();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
