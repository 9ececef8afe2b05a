using Layercake.Batch.Chunks;

namespace Layercake.Batch.Tables;

/// <summary>
/// A table being written inside one open transaction. Nothing is visible to others until <see cref="CommitAsync"/>;
/// disposing it uncommitted rolls everything back, so a failed job leaves no table, partial or empty.
/// </summary>
internal interface ITableSink : IAsyncDisposable
{
    /// <summary>Appends a chunk's rows; its columns are in <see cref="TableColumn.For"/>'s order.</summary>
    Task WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken);

    /// <summary>Puts the staged rows under the table's name (replacing the old table if asked) and commits.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
