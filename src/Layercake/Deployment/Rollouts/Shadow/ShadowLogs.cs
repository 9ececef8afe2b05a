using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Runtime.Containers;
using Layercake.Runtime.PredictionLog;

namespace Layercake.Deployment.Rollouts.Shadow;

/// <summary>
/// A stopped backend's prediction log rows within a window, read through the engine's archive API from the container
/// itself (its log folder is the volume it wrote to). Stopped, the server has flushed every line it will write. Only
/// files opened at or after <c>opened</c> are read: the live version's volume holds the environment's whole log, and the
/// backend's own files (its instance's) were all opened after it started.
/// </summary>
internal static class ShadowLogs
{
    public static async Task<List<LoggedPrediction>> ReadAsync(DockerClient docker, string containerId, DateTimeOffset opened,
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var rows = new List<LoggedPrediction>();
        var archive = await docker.Containers.GetArchiveFromContainerAsync(containerId,
            new ContainerPathStatParameters { Path = ServingContainer.PredictionLogDirectory }, statOnly: false, cancellationToken).ConfigureAwait(false);
        var stream = archive.Stream ?? throw new InvalidOperationException($"The Docker engine sent no archive of {ServingContainer.PredictionLogDirectory}.");
        await using (stream.ConfigureAwait(false))
        {
            await using var tar = new TarReader(stream);
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null
                    || !entry.Name.EndsWith(PredictionLogFileName.Extension, StringComparison.Ordinal)
                    || PredictionLogFileName.OpenedAt(entry.Name) is not { } at || at < opened)
                {
                    continue;
                }

                using var reader = new StreamReader(entry.DataStream);
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (ShadowAgreement.Parse(line) is { } row && row.Time >= from && row.Time <= to)
                    {
                        rows.Add(row);
                    }
                }
            }
        }

        return rows;
    }
}
