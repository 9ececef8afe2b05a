using Layercake.Registry;

namespace Layercake.Batch;

/// <summary>
/// What a job knows when it ends, for its rejects file, its lineage and its run; <see cref="InputSha256"/> is null when
/// it failed early.
/// </summary>
internal sealed record ScoreFacts(
    RegisteredVersion Version,
    ScoreRequest Request,
    string Input,
    string? InputSha256,
    ScoreTally Tally,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt)
{
    /// <summary>A table output's content sha256; null for a file, whose sha256 is the file's.</summary>
    public string? OutputSha256 { get; init; }
}
