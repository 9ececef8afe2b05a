namespace Layercake.Batch.Chunks;

/// <summary>
/// One column of a row group, encoded as its pages: offsets are within the row group's bytes until the writer places
/// them in the file. A dictionary-encoded column has a dictionary page first. <see cref="Uncompressed"/> is its pages'
/// size before compression, headers included.
/// </summary>
internal sealed record ParquetColumnChunk(int Offset, int Length, int? DictionaryOffset, int DataOffset, int Values, bool Dictionary)
{
    public int Uncompressed { get; init; }
}
