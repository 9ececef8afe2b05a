using Layercake.Batch.Chunks;
namespace Layercake.Batch.Reading;

/// <summary>An input table read chunk by chunk, in order, so a job holds a bounded number of rows at a time.</summary>
internal interface IChunkReader : IAsyncDisposable
{
    /// <summary>The input's columns, in order.</summary>
    IReadOnlyList<string> Header { get; }

    /// <summary>Whether each column comes as numbers (a typed numeric Parquet column) rather than text.</summary>
    IReadOnlyList<bool> Numeric { get; }

    /// <summary>Reads the columns whose index is in <paramref name="needed"/>; the others are null in each chunk.</summary>
    IAsyncEnumerable<InputChunk> ReadAsync(IReadOnlySet<int> needed, int chunkRows, CancellationToken cancellationToken);
}
