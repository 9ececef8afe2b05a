using System.IO.Compression;

namespace Layercake.Shared.IO;

/// <summary>
/// Rewrites a zip so that the same contents give the same bytes: entries in ordinal name order, every entry
/// stamped with one fixed time, one compression level. ML.NET's <c>SaveModel</c> stamps each entry with the
/// clock, which made <c>model.zip</c> differ between two builds of one commit although every entry's bytes agreed.
/// </summary>
internal static class DeterministicZip
{
    /// <summary>
    /// A constant rather than the commit's time: the model's bytes should depend on what it learned, not on when
    /// the commit was made, and Train's cache (keyed on its inputs) would otherwise keep an older commit's stamp.
    /// 1980-01-01 is the earliest time a zip can record.
    /// </summary>
    public static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task NormalizeAsync(string path, CancellationToken cancellationToken)
    {
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var source = await ZipFile.OpenReadAsync(path, cancellationToken).ConfigureAwait(false))
        {
            foreach (var entry in source.Entries)
            {
                using var content = new MemoryStream();
                await using (var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false))
                {
                    await stream.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
                }

                if (!entries.TryAdd(entry.FullName, content.ToArray()))
                {
                    throw new InvalidDataException($"{path} holds the entry '{entry.FullName}' twice.");
                }
            }
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                {
                    foreach (var (name, bytes) in entries)
                    {
                        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                        entry.LastWriteTime = EntryTime;
                        await using var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                    }
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
