using Layercake.Batch.Reading;
using Layercake.Development.Data;
using Layercake.Development.Data.Sources;
using Layercake.Pipelines;
using Layercake.Pipelines.Data;
using Layercake.Shared.IO;

namespace Layercake.Batch;

/// <summary>Opens a job's input as Prepare reads it (by the file's extension, or a query) and names it for lineage.</summary>
internal static class ScoreInput
{
    public static async Task<IChunkReader> OpenAsync(ScoreRequest request, CancellationToken cancellationToken)
    {
        if (request.Query is { } query)
        {
            return new TableChunkReader((await QueryTableReader.ReadAsync(query, cancellationToken).ConfigureAwait(false)).Table);
        }

        if (!File.Exists(request.Input))
        {
            throw new FileNotFoundException($"The input {request.Input} does not exist.", request.Input);
        }

        return DataFormatOf(request.Input) switch
        {
            DataFormat.Parquet => await ParquetChunkReader.OpenAsync(request.Input, cancellationToken).ConfigureAwait(false),
            DataFormat.JsonLines => new TableChunkReader(await JsonLinesTableReader.ReadAsync(request.Input,
                cancellationToken).ConfigureAwait(false)),
            _ => await CsvChunkReader.OpenAsync(request.Input, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>The input's sha256: the file's, or for a query the sha256 of its text (its result is not kept).</summary>
    public static Task<string> Sha256Async(ScoreRequest request, CancellationToken cancellationToken) => request.Query is { } query
        ? Task.FromResult(Sha256.OfText(query.Query))
        : Sha256.OfFileAsync(request.Input, cancellationToken);

    public static string Describe(ScoreRequest request) => request.Query is { } query ? $"{query.Kind} query '{query.Query}'"
        : request.Input;

    private static DataFormat DataFormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".parquet" => DataFormat.Parquet,
        ".jsonl" or ".ndjson" => DataFormat.JsonLines,
        _ => DataFormat.Csv,
    };
}
