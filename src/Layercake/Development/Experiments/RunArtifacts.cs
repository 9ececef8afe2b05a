using Layercake.Development.Data.Tables;
using Layercake.Development.Experiments.Store;
using Layercake.Shared.IO;

namespace Layercake.Development.Experiments;

/// <summary>
/// Each recorded run's own copy of what its stages wrote, under <c>artifacts/runs/&lt;run-id&gt;/</c>, so the next run
/// overwriting <c>artifacts/&lt;pipeline&gt;/</c> loses nothing; only the newest runs of each pipeline keep theirs.
/// </summary>
public sealed class RunArtifacts(string artifactsRoot)
{
    public const string FolderName = "runs";
    public const int DefaultKeep = 20;

    public string Root { get; } = Path.Combine(artifactsRoot, FolderName);

    /// <summary>
    /// Copies the given stage folders (not <c>prepared.csv</c> nor <c>typed.bin</c>: the data is identified by its sha256) and the
    /// pipeline's
    /// YAML, built aside and renamed into place.
    /// </summary>
    public async Task<string> CopyAsync(string runId, IEnumerable<string> folders, string pipelineYaml, CancellationToken cancellationToken)
    {
        var destination = Path.Combine(Root, runId);
        using var staging = new StagingDirectory(destination);
        foreach (var folder in folders.Where(Directory.Exists))
        {
            CopyFolder(folder, Path.Combine(staging.Root, Path.GetFileName(folder)), cancellationToken);
        }

        await AtomicFile.WriteAllTextAsync(staging.File("pipeline.yaml"), pipelineYaml, cancellationToken).ConfigureAwait(false);
        staging.Commit();
        return destination;
    }

    /// <summary>Deletes the copies of all but the newest <paramref name="keep"/> runs (newest first in <paramref name="runs"/>); returns
    /// the runs whose copy went.</summary>
    public IReadOnlyList<ExperimentRun> Prune(IReadOnlyList<ExperimentRun> runs, int keep)
    {
        var removed = new List<ExperimentRun>();
        foreach (var run in runs.Where(r => r.ArtifactsFolder is not null).Skip(Math.Max(0, keep)))
        {
            if (Directory.Exists(run.ArtifactsFolder))
            {
                Directory.Delete(run.ArtifactsFolder!, recursive: true);
            }

            removed.Add(run);
        }

        return removed;
    }

    private static void CopyFolder(string from, string to, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(from, file);
            if (relative is Data.PreparedDataStore.DataFile or Data.Tables.TypedTableStore.DataFile || Path.GetFileName(relative)
                .StartsWith('.'))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
