namespace Layercake.Batch.Chunks;

/// <summary>
/// A scored chunk made ready to write, on the core that scored it: a text format's bytes, or a Parquet row group's
/// columns, so the one writer only copies them out in order.
/// </summary>
internal sealed record EncodedChunk(int Rows, PooledBytes? Bytes, IReadOnlyList<Array>? Columns);
