using Layercake.Batch.Chunks;
namespace Layercake.Batch.Writing;

/// <summary>Writes scored rows in one output format: chunks are encoded on any core, then written one by one in order.</summary>
internal interface IScoreWriter : IAsyncDisposable
{
    /// <summary>Turns a chunk into what <see cref="WriteAsync"/> writes; safe to call from several threads at once.</summary>
    EncodedChunk Encode(ScoredChunk chunk);

    Task WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken);

    /// <summary>Ends the output (a Parquet footer, a flush); the stream is complete afterwards.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}
