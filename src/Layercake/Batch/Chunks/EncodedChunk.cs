namespace Layercake.Batch.Chunks;

/// <summary>
/// A scored chunk made ready to write, on the core that scored it: a text format's bytes, a table's columns, or a Parquet
/// row group's encoded pages (the bytes, and where each column's pages are in them), so the one writer only copies them
/// out in order.
/// </summary>
internal sealed record EncodedChunk(int Rows, PooledBytes? Bytes, IReadOnlyList<Array>? Columns,
    IReadOnlyList<ParquetColumnChunk>? Parquet = null);
