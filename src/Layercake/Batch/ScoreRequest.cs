using Layercake.Batch.Tables;
using Layercake.Pipelines;
using Layercake.Pipelines.Data;

namespace Layercake.Batch;

/// <summary>
/// One batch-scoring job: which version of which model, over which table, into which file or table, keeping which input columns,
/// and how many bad rows it may set aside before it fails.
/// </summary>
/// <param name="Model">The model's (pipeline's) name in the registry.</param>
/// <param name="Version">The version to score with; null for the version live in <paramref name="Environment"/>, else the latest.</param>
/// <param name="Input">A CSV, Parquet or JSON Lines file; ignored when <paramref name="Query"/> is given.</param>
/// <param name="Keep">The input columns copied to each output row; null for every input column.</param>
public sealed record ScoreRequest(
    string Model,
    string? Version,
    string? Environment,
    string Input,
    string Output,
    IReadOnlyList<string>? Keep,
    RejectLimit MaxRejects)
{
    /// <summary>A database query to score instead of a file (the pipeline's <c>source:</c> form).</summary>
    public QuerySource? Query { get; init; }

    /// <summary>
    /// A database table to write instead of a file; <see cref="Output"/> then only names where the rejects and the
    /// lineage go (<c>&lt;Output&gt;.rejects.jsonl</c>, <c>&lt;Output&gt;.lineage.json</c>).
    /// </summary>
    public OutputTable? Table { get; init; }

    /// <summary>
    /// Rows per chunk: what one core prepares and scores at a time, and one Parquet row group of the output. Small enough
    /// that a chunk's columns stay off the large object heap, whose collections are full, blocking ones.
    /// </summary>
    public int ChunkRows { get; init; } = 8_192;

    /// <summary>How many chunks may be read ahead, scored or waiting to be written at once; null for four per core.</summary>
    public int? ChunksInFlight { get; init; }
}
