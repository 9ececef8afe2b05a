using Layercake.Pipelines;
using Layercake.Pipelines.Data;
using Layercake.Shared.IO;

namespace Layercake.Development.Data.Sources;

/// <summary>
/// The pipeline's training table as text, from whichever source it declares (a CSV, Parquet or JSON Lines file, or a
/// database query), and what identifies its content for lineage and the unchanged-stage skip.
/// </summary>
internal static class TableSource
{
    public static async Task<RawTable> ReadAsync(PipelineSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Source is { } query)
        {
            return (await QueryTableReader.ReadAsync(query, cancellationToken).ConfigureAwait(false)).Table;
        }

        return spec.DataFormat switch
        {
            DataFormat.Parquet => await ParquetTableReader.ReadAsync(spec.DataPath, cancellationToken).ConfigureAwait(false),
            DataFormat.JsonLines => await JsonLinesTableReader.ReadAsync(spec.DataPath, cancellationToken).ConfigureAwait(false),
            _ => await CsvTableReader.ReadAsync(spec.DataPath, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// The table and its fingerprint (<see cref="FingerprintAsync"/>) from one read: a query runs once for both.
    /// </summary>
    public static async Task<(RawTable Table, IReadOnlyDictionary<string, string> Fingerprint)> ReadWithFingerprintAsync(PipelineSpec spec,
        CancellationToken cancellationToken)
    {
        if (spec.Source is { } query)
        {
            var result = await QueryTableReader.ReadAsync(query, cancellationToken).ConfigureAwait(false);
            return (result.Table, QueryFingerprint(query, result));
        }

        var fingerprint = await FingerprintAsync(spec, cancellationToken).ConfigureAwait(false);
        return (await ReadAsync(spec, cancellationToken).ConfigureAwait(false), fingerprint);
    }

    /// <summary>
    /// <c>data</c>: the file's sha256, or for a query the sha256 of its result's content; a query adds the sha256 of
    /// its text, its row count and the server's version. A query is run to know its content, as DVC runs a stage's
    /// command: the same text on changed tables is changed data.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> FingerprintAsync(PipelineSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Source is not { } query)
        {
            return new Dictionary<string,
                string> { ["data"] = await Sha256.OfFileAsync(spec.DataPath, cancellationToken).ConfigureAwait(false) };
        }

        return QueryFingerprint(query, await QueryTableReader.ReadAsync(query, cancellationToken).ConfigureAwait(false));
    }

    private static Dictionary<string, string> QueryFingerprint(QuerySource query, QueryTable result) =>
        new()
        {
            ["data"] = result.ContentSha256,
            ["query"] = Sha256.OfText(query.Query),
            ["query.rows"] = result.Table.RowCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["query.server"] = result.ServerVersion,
        };
}
