namespace Layercake.Monitoring.Logs;

/// <summary>
/// What was read: files, lines, rows analysed, rejections (requests, and their rows in all and by reason), rows of
/// other models or versions left out, unreadable lines.
/// </summary>
public sealed record LogSummary(
    int Files,
    long Lines,
    long Rows,
    long Requests,
    long Rejected,
    long BeforeSince,
    IReadOnlyDictionary<string, long> OtherVersions,
    long Unreadable,
    string? FirstUnreadable,
    long IncompleteLastLines,
    long RejectedRows,
    IReadOnlyDictionary<string, long> RejectedRowsByReason);
