using Layercake.Runtime.PredictionLog;
using Layercake.Shared.IO;

namespace Layercake.Monitoring.Logs;

/// <summary>
/// Copies from a tar of the log volume only the files that can hold rows Monitor has not got: a file last written
/// before <c>since</c> holds only older rows (the server writes a row after its time, and never rewrites a file), and
/// a file whose size and last write match the local copy's from the previous run is already here. Local files the
/// volume no longer has (the server deletes old ones) are removed, so the folder mirrors what was kept.
/// </summary>
internal static class IncrementalLogCopy
{
    /// <summary>A tar header may keep whole seconds only, so a file counts as older only when a second before <c>since</c>.</summary>
    private static bool OlderThan(TarEntryHeader entry, DateTimeOffset? since) => since is { } start
        && entry.Modified.AddSeconds(1) < start;

    public static async Task<(LogFetchState State, int Copied, int Unchanged, int Older, long CopiedBytes)> CopyAsync(
        Stream tar, string destination, DateTimeOffset? since, LogFetchState previous, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(destination);
        int unchanged = 0, older = 0;
        var entries = await StreamingTar.ExtractAsync(tar, entry =>
        {
            var file = Path.GetFileName(entry.Name);
            if (!file.StartsWith(PredictionLogFileName.Prefix, StringComparison.Ordinal)
                || !file.EndsWith(PredictionLogFileName.Extension, StringComparison.Ordinal))
            {
                return null;
            }

            if (OlderThan(entry, since))
            {
                older++;
                return null;
            }

            var local = Path.Combine(destination, file);
            if (previous.Files.TryGetValue(file, out var known) && known.Size == entry.Size && known.Modified == entry.Modified
                && File.Exists(local) && new FileInfo(local).Length == entry.Size)
            {
                unchanged++;
                return null;
            }

            return local;
        }, cancellationToken).ConfigureAwait(false);

        var kept = new Dictionary<string, FetchedLogFile>(StringComparer.Ordinal);
        foreach (var (entry, written) in entries)
        {
            var file = Path.GetFileName(entry.Name);
            if (written || (previous.Files.ContainsKey(file) && File.Exists(Path.Combine(destination, file)) && !OlderThan(entry, since)))
            {
                kept[file] = new FetchedLogFile(entry.Size, entry.Modified);
            }
        }

        foreach (var local in Directory.EnumerateFiles(destination))
        {
            if (!kept.ContainsKey(Path.GetFileName(local)))
            {
                File.Delete(local);
            }
        }

        var copied = entries.Where(e => e.Written).ToArray();
        return (previous with { Files = kept }, copied.Length, unchanged, older, copied.Sum(e => e.Entry.Size));
    }
}
