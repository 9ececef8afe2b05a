namespace Layercake.Monitoring.Logs;

/// <summary>
/// What Monitor remembers per model and environment between runs (<c>monitor-fetched/&lt;model&gt;-&lt;environment&gt;.state.json</c>):
/// the log files the local copy holds, as they were in the volume, so unchanged ones are not copied again, and the
/// time of the last row the last run read, where monitoring "since the last run" starts.
/// </summary>
internal sealed record LogFetchState(IReadOnlyDictionary<string, FetchedLogFile> Files, DateTimeOffset? LastRow)
{
    public static LogFetchState Empty { get; } = new(new Dictionary<string, FetchedLogFile>(), null);
}
