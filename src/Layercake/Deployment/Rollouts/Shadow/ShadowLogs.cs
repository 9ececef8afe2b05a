using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Runtime.Containers;
using Layercake.Runtime.PredictionLog;
using Layercake.Shared.IO;

namespace Layercake.Deployment.Rollouts.Shadow;

/// <summary>
/// A stopped backend's prediction log rows within a window, read through the engine's archive API from the container
/// itself (its log folder is the volume it wrote to). Stopped, the server has flushed every line it will write. Only
/// files opened at or after <c>opened</c> are copied out: the live version's volume holds the environment's whole log,
/// and the backend's own files were all opened after it started. The archive is read with <see cref="StreamingTar"/>
/// (.NET's TarReader ends early over the engine's HTTP stream).
/// </summary>
internal static class ShadowLogs
{
    public static async Task<List<LoggedPrediction>> ReadAsync(DockerClient docker, string containerId, DateTimeOffset opened,
        DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"layercake-shadow-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var archive = await docker.Containers.GetArchiveFromContainerAsync(containerId,
                new ContainerPathStatParameters { Path = ServingContainer.PredictionLogDirectory }, statOnly: false, cancellationToken)
                .ConfigureAwait(false);
            var stream = archive.Stream
                ?? throw new InvalidOperationException($"The Docker engine sent no archive of {ServingContainer.PredictionLogDirectory}.");
            await using (stream.ConfigureAwait(false))
            {
                string? Destination(TarEntryHeader entry) =>
                    Wanted(entry, opened) ? Path.Combine(folder, Path.GetFileName(entry.Name)) : null;
                await StreamingTar.ExtractAsync(stream, Destination, cancellationToken).ConfigureAwait(false);
            }

            var rows = new List<LoggedPrediction>();
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                await foreach (var line in File.ReadLinesAsync(file, cancellationToken).ConfigureAwait(false))
                {
                    if (ShadowAgreement.Parse(line) is { } row && row.Time >= from && row.Time <= to)
                    {
                        rows.Add(row);
                    }
                }
            }

            return rows;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool Wanted(TarEntryHeader entry, DateTimeOffset opened) =>
        entry.IsFile && PredictionLogFileName.OpenedAt(entry.Name) is { } at && at >= opened;
}
