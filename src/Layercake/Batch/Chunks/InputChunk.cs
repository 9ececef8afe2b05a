namespace Layercake.Batch.Chunks;

/// <summary>
/// Consecutive rows of the input, column by column in the reader's header order (a column no one needs is null).
/// </summary>
/// <param name="FirstRow">The 0-based index of the chunk's first row in the whole input.</param>
/// <param name="Lines">The line each row starts on, for sources that have lines (CSV, JSON Lines); null otherwise.</param>
internal sealed record InputChunk(long FirstRow, int Count, IReadOnlyList<ChunkColumn?> Columns, IReadOnlyList<int>? Lines);
