namespace Layercake.Shared.IO;

/// <summary>
/// The Clean task: empties the run outputs folder of every phase's outputs, keeping <c>logs/</c> (the running
/// build's own log is open there) and <c>.gitkeep</c>. The model registry lives elsewhere and is never touched.
/// </summary>
/// <remarks>
/// Synchronous on purpose: .NET has no asynchronous delete; the token is checked between entries, so a cancelled
/// clean stops with some entries left rather than half of one.
/// </remarks>
public sealed class ArtifactCleaner(string artifacts)
{
    public const string LogsFolder = "logs";

    public ArtifactCleanup Clean(CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(artifacts);
        if (!Directory.Exists(directory))
        {
            return new ArtifactCleanup(directory, Existed: false, []);
        }

        var deleted = new List<string>();
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToArray())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry is DirectoryInfo { Name: LogsFolder } || entry is FileInfo { Name: ".gitkeep" })
            {
                continue;
            }

            if (entry is DirectoryInfo folder)
            {
                folder.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }

            deleted.Add(entry.Name);
        }

        return new ArtifactCleanup(directory, Existed: true, deleted);
    }
}
