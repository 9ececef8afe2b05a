using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;

namespace Layercake.Management.Reproduction;

/// <summary>The data a version was trained on, checked against the sha256 its manifest recorded before anything is rebuilt.</summary>
internal static class RecordedData
{
    /// <returns>The data file's full path.</returns>
    public static async Task<string> VerifyAsync(ModelManifest manifest, string workingDirectory, CancellationToken cancellationToken)
    {
        var lineage = manifest.Lineage;
        var path = Path.GetFullPath(lineage.DataPath, workingDirectory);
        var who = $"{manifest.Pipeline} {manifest.Version}";
        if (!File.Exists(path))
        {
            throw new ReproductionRefusedException(
                $"{who} was trained on {lineage.DataPath} (sha256 {lineage.DataSha256}), which is missing ({path}); put that exact file " +
                    $"back to reproduce it.");
        }

        var sha = await Sha256.OfFileAsync(path, cancellationToken).ConfigureAwait(false);
        if (sha != lineage.DataSha256)
        {
            throw new ReproductionRefusedException(
                $"{lineage.DataPath} has changed since {who} was trained on it: its sha256 is {sha}, the manifest recorded " +
                    $"{lineage.DataSha256}. Reproduce needs the recorded data; restore it (e.g. from the commit or your data store) and " +
                    $"run again.");
        }

        return path;
    }
}
