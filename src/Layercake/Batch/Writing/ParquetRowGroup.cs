using Layercake.Batch.Chunks;

namespace Layercake.Batch.Writing;

/// <summary>A row group as written: where its bytes start in the file, its rows, and its columns' pages within it.</summary>
internal sealed record ParquetRowGroup(long Offset, int Rows, IReadOnlyList<ParquetColumnChunk> Columns);
