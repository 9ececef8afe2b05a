using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Management.Releases;

/// <summary>
/// Released versions on disk, at <c>&lt;cache&gt;/&lt;model&gt;/&lt;version&gt;/</c>: an intact cached copy is used as it
/// is; otherwise the release's assets are downloaded into a staging folder and kept only when every file matches.
/// </summary>
internal sealed class GitHubReleaseCache(GitHubReleases releases, string cacheDirectory, ILogger logger)
{
    private const string ManifestFile = ReleasePackageFiles.ManifestFile;

    public async Task<RegisteredVersion> FetchAsync(string model, SemanticVersion version, CancellationToken cancellationToken)
    {
        var tag = ReleaseTag.For(model, version);
        var repository = releases.Options.Repository;
        var destination = Path.Combine(cacheDirectory, model, version.ToString());
        if (Directory.Exists(destination))
        {
            var problem = await ReleasePackageFiles.VerifyAsync(destination, null, cancellationToken).ConfigureAwait(false);
            if (problem is null)
            {
                var cached = await PackageJson.ReadAsync<ModelManifest>(Path.Combine(destination, ManifestFile), cancellationToken)
                    .ConfigureAwait(false);
                logger.LogInformation("{Tag} is already in the cache at {Directory}", tag, destination);
                return new RegisteredVersion(model, version, destination, cached, Existing: true);
            }

            logger.LogWarning("The cached copy of {Tag} at {Directory} is not intact ({Problem}); downloading it again", tag, destination,
                problem);
        }

        var release = await releases.FindAsync(tag, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"{model} {version} is not released in {repository}: there is no release with tag {tag}.");
        var assets = await releases.ListAssetsAsync(release, tag, cancellationToken).ConfigureAwait(false);

        using var staging = new StagingDirectory(destination);
        var manifestAsset = releases.Asset(assets, ManifestFile, tag);
        await File.WriteAllBytesAsync(staging.File(ManifestFile), await releases.DownloadAsync(manifestAsset, tag, cancellationToken)
            .ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var manifestSha256 = await Sha256.OfFileAsync(staging.File(ManifestFile), cancellationToken).ConfigureAwait(false);
        var expected = ReleaseNotes.ManifestSha256(release.Body);
        if (expected is not null && expected != manifestSha256)
        {
            throw new InvalidDataException(
                $"{tag} in {repository}: {ManifestFile} has sha256 {manifestSha256}, but the release was published for {expected}.");
        }

        var manifest = await PackageJson.ReadAsync<ModelManifest>(staging.File(ManifestFile), cancellationToken).ConfigureAwait(false);
        foreach (var name in manifest.Files.Keys.Order(StringComparer.Ordinal))
        {
            ReleasePackageFiles.RequirePlainName(name, tag);
            var bytes = await releases.DownloadAsync(releases.Asset(assets, name, tag), tag, cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(staging.File(name), bytes, cancellationToken).ConfigureAwait(false);
        }

        var mismatch = await ReleasePackageFiles.VerifyAsync(staging.Root, manifest, cancellationToken).ConfigureAwait(false);
        if (mismatch is not null)
        {
            throw new InvalidDataException($"{tag} from {repository}: {mismatch}; nothing was kept.");
        }

        staging.Commit();
        logger.LogInformation("Fetched {Tag} from {Repository} into {Directory}", tag, repository, destination);
        return new RegisteredVersion(model, version, destination, manifest, Existing: false);
    }
}
