using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Rollouts;

/// <summary>
/// Writes a rollout's journal beside the deployment history, whole and atomically, after every window; once the rollout
/// has concluded, also its report (console table, JSON, HTML with charts) under the artifacts.
/// </summary>
internal static class RolloutJournalFile
{
    /// <param name="files">Where to write; none (Status, tests of the target alone) writes nothing.</param>
    public static async Task WriteAsync(RolloutFiles? files, RolloutJournal journal, ILogger logger)
    {
        if (files is null)
        {
            return;
        }

        var path = RolloutJournal.PathFor(files.RegistryRoot, journal.Model, journal.Environment);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await AtomicFile.WriteAllTextAsync(path, PackageJson.Serialize(journal), CancellationToken.None).ConfigureAwait(false);
        if (journal.State == RolloutJournal.Running)
        {
            return;
        }

        logger.LogInformation("{Table}", RolloutReportWriter.Table(journal));
        if (files.ArtifactsRoot is { } artifacts)
        {
            var folder = RolloutReportWriter.FolderFor(artifacts, journal.Model, journal.Environment);
            Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
            await RolloutReportWriter.WriteAsync(journal, folder, CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("Rollout report: {Report}", Path.Combine(folder, RolloutReportWriter.HtmlFile));
        }
    }
}
