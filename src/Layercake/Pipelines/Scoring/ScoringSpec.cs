using Layercake.Pipelines.Data;

namespace Layercake.Pipelines.Scoring;

/// <summary>
/// The <c>scoring:</c> section: what the Score task reads and writes when the command line does not say. Paths are
/// resolved against the pipeline file; the command line overrides each setting it gives.
/// </summary>
public sealed record ScoringSpec
{
    public static ScoringSpec None { get; } = new();

    /// <summary>A CSV, Parquet or JSON Lines file to score.</summary>
    public string? Input { get; init; }

    /// <summary>A query to score, run against <see cref="Database"/>.</summary>
    public string? Query { get; init; }

    /// <summary>A .parquet, .csv or .jsonl file the scored rows go to.</summary>
    public string? Output { get; init; }

    /// <summary>A table in <see cref="Database"/> the scored rows go to.</summary>
    public string? Table { get; init; }

    /// <summary>Whether <see cref="Table"/> is replaced when it exists (otherwise the job is refused).</summary>
    public bool Replace { get; init; }

    /// <summary>
    /// The database of <see cref="Query"/> and <see cref="Table"/>: <c>scoring.database</c>, else the pipeline's
    /// <c>source:</c> (its query set aside); null when neither is declared.
    /// </summary>
    public QuerySource? Database { get; init; }

    /// <summary>The input columns copied to each scored row; null for every input column.</summary>
    public IReadOnlyList<string>? Keep { get; init; }

    /// <summary>How many bad rows a job may set aside, as written (<c>N</c> or <c>P%</c>); null for the default.</summary>
    public string? MaxRejects { get; init; }
}
