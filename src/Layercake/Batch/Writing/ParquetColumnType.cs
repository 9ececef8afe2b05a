namespace Layercake.Batch.Writing;

/// <summary>An output column as Parquet declares it: optional doubles, optional UTF-8 text, or required floats.</summary>
internal enum ParquetColumnType
{
    Double,
    Text,
    Float,
}
