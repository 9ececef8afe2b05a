namespace Layercake.Monitoring.Logs;

/// <summary>
/// What a pass over the prediction log found: files and lines read, lines before the start time, and lines that
/// were not records (with the first one's place, to look at). A final line without its newline is a file still
/// being written and is counted apart.
/// </summary>
internal sealed record PredictionLogReadSummary(
    int Files,
    long Lines,
    long Rows,
    long BeforeSince,
    long Unreadable,
    string? FirstUnreadable,
    long IncompleteLastLines);
