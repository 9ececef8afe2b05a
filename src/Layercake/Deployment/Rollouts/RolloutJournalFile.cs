using Layercake.Pipelines;
using Layercake.Shared.IO;

namespace Layercake.Deployment.Rollouts;

/// <summary>Writes a rollout's journal beside the deployment history, whole and atomically, after every window.</summary>
internal static class RolloutJournalFile
{
    /// <param name="registryRoot">The local registry; none (Status, tests of the target alone) writes nothing.</param>
    public static async Task WriteAsync(string? registryRoot, RolloutJournal journal)
    {
        if (registryRoot is null)
        {
            return;
        }

        var path = RolloutJournal.PathFor(registryRoot, journal.Model, journal.Environment);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await AtomicFile.WriteAllTextAsync(path, PackageJson.Serialize(journal), CancellationToken.None).ConfigureAwait(false);
    }
}
