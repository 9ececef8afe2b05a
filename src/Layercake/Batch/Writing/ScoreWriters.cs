using Layercake.Batch.Chunks;
namespace Layercake.Batch.Writing;

/// <summary>The writer for an output file, chosen by its extension.</summary>
internal static class ScoreWriters
{
    public static IReadOnlyList<string> Extensions { get; } = [".parquet", ".csv", ".jsonl"];

    public static bool Supports(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    public static async Task<IScoreWriter> CreateAsync(string path, Stream stream, OutputColumns columns,
        CancellationToken cancellationToken) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".parquet" => await ParquetScoreWriter.CreateAsync(stream, columns, cancellationToken).ConfigureAwait(false),
            ".csv" => new CsvScoreWriter(stream, columns),
            ".jsonl" => new JsonLinesScoreWriter(stream, columns),
            var other => throw new ArgumentException(
                $"{path}: '{other}' is not an output format; expected one of {string.Join(", ", Extensions)}."),
        };
}
