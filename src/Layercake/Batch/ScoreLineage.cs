namespace Layercake.Batch;

/// <summary>
/// <c>&lt;output&gt;.lineage.json</c>: which version scored which input into which output, with each file's sha256, so
/// a scored table can be traced back to its model and data without the run store.
/// </summary>
internal sealed record ScoreLineage(
    string Model,
    string Version,
    string? ModelOnnxSha256,
    string Input,
    string InputSha256,
    long InputRows,
    string Output,
    string OutputSha256,
    long Scored,
    long Rejects,
    string? RejectsFile,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string RunId)
{
    public static string PathFor(string output) => output + ".lineage.json";
}
