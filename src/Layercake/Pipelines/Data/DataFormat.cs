namespace Layercake.Pipelines.Data;

/// <summary>What a <c>data:</c> file holds: chosen by <c>format:</c>, or else by the file's extension.</summary>
public enum DataFormat
{
    Csv,
    Parquet,
    JsonLines,
}
