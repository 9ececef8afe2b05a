namespace Layercake.Monitoring.Logs;

/// <summary>A log file as it was when copied out of the volume: its size and last write, to tell whether it has grown since.</summary>
internal sealed record FetchedLogFile(long Size, DateTimeOffset Modified);
