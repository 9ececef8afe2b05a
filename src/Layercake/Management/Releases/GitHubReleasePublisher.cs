using Layercake.Deployment.BillOfMaterials;
using Layercake.Registry;
using Layercake.Shared.GitHub;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;
using Octokit;

namespace Layercake.Management.Releases;

/// <summary>
/// Publishes a version as a GitHub release, idempotently and without duplicates: an existing release for the same
/// manifest is completed (missing assets uploaded), one for a different manifest is refused, and every create or
/// upload re-reads what a failed attempt may have left before trying again.
/// </summary>
internal sealed class GitHubReleasePublisher(GitHubReleases releases, ILogger logger)
{
    private GitHubOptions Options => releases.Options;

    public async Task<PublishedVersion> PublishAsync(RegisteredVersion version, CancellationToken cancellationToken)
    {
        var tag = ReleaseTag.For(version.Pipeline, version.Version);
        var manifestSha256 = await Sha256.OfFileAsync(Path.Combine(version.Directory, ReleasePackageFiles.ManifestFile), cancellationToken)
            .ConfigureAwait(false);
        var files = await ReleasePackageFiles.ToPublishAsync(version, cancellationToken).ConfigureAwait(false);

        var release = await releases.FindAsync(tag, cancellationToken).ConfigureAwait(false)
            ?? await releases.FindDraftAsync(tag, cancellationToken).ConfigureAwait(false);
        if (release is null)
        {
            release = await CreateReleaseAsync(version, tag, manifestSha256, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Created release {Tag} in {Repository} as a draft until its assets are uploaded", tag,
                Options.Repository);
        }

        var released = ReleaseNotes.ManifestSha256(release.Body);
        if (released != manifestSha256)
        {
            throw new InvalidOperationException(released is null
                ? $"{tag} already exists in {Options.Repository} but was not published by Layercake (its release notes have no manifest " +
                    $"marker); versions are immutable, so release it under another version or delete that release."
                : $"{version.Pipeline} {version.Version} is already released in {Options.Repository} ({tag}) with a different manifest; " +
                    $"versions are immutable, so release it under another version.");
        }

        var uploaded = await UploadMissingAsync(release, tag, files, cancellationToken).ConfigureAwait(false);
        var published = release.Draft;
        if (published)
        {
            release = await releases.PublishDraftAsync(release, tag, cancellationToken).ConfigureAwait(false);
        }

        if (uploaded == 0 && !published)
        {
            logger.LogInformation("{Tag} is already published in {Repository} with this manifest; nothing to do", tag, Options.Repository);
        }
        else
        {
            logger.LogInformation("Published {Tag} to {Repository}: uploaded {Uploaded} of {Total} assets{Then}", tag, Options.Repository,
                uploaded, files.Count, published ? ", then published the draft" : "");
        }

        return new PublishedVersion(version.Pipeline, version.Version, tag, release.CreatedAt, version.Manifest, release.HtmlUrl);
    }

    /// <summary>Uploads the files the release lacks (or whose upload broke off); returns how many.</summary>
    private async Task<int> UploadMissingAsync(Release release, string tag, IReadOnlyList<ReleaseFile> files,
        CancellationToken cancellationToken)
    {
        var assets = await releases.ListAssetsAsync(release, tag, cancellationToken).ConfigureAwait(false);
        var uploaded = 0;
        foreach (var file in files)
        {
            var asset = assets.FirstOrDefault(a => a.Name == file.Name);
            if (asset is { State: "uploaded" })
            {
                if (asset.Size != file.Size && file.Name == ImageBillOfMaterials.FileName)
                {
                    // The release describes the image as it was first built; a rebuild on another host may list other library versions.
                    logger.LogWarning("{Tag} keeps its {Name} asset: this package's differs ({Size} bytes, the release's {Released})", tag,
                        file.Name, file.Size, asset.Size);
                }
                else if (asset.Size != file.Size)
                {
                    throw new InvalidOperationException(
                        $"{tag} in {Options.Repository} has an asset {file.Name} of {asset.Size} bytes where the package's is {file.Size}" +
                            $"; versions are immutable, so the release was left as it is.");
                }

                continue;
            }

            await UploadAsync(release, tag, file, asset, cancellationToken).ConfigureAwait(false);
            uploaded++;
        }
        return uploaded;
    }

    private Task<Release> CreateReleaseAsync(RegisteredVersion version, string tag, string manifestSha256,
        CancellationToken cancellationToken)
    {
        var release = new NewRelease(tag)
        {
            Name = $"{version.Pipeline} {version.Version}",
            Body = ReleaseNotes.Write(version.Manifest with { Version = version.Version.ToString() }, manifestSha256),
            // A draft until every asset is there: a build killed half-way leaves no published release without its
            // package, and the next run finds the draft and finishes it.
            Draft = true,
            Prerelease = false,
        };
        if (IsCommitSha(version.Manifest.Lineage.GitCommit))
        {
            release.TargetCommitish = version.Manifest.Lineage.GitCommit;
        }

        return releases.Calls.RunAsync($"create release {tag}", GitHubPermission.ContentsWrite, async (attempt, _) =>
        {
            // The failed attempt may have created the release before its answer was lost.
            if (attempt > 1
                && (await releases.TryGetAsync(tag).ConfigureAwait(false) ?? await releases.TryGetDraftAsync(tag).ConfigureAwait(false)) is
                { } made)
            {
                return made;
            }

            try
            {
                return await releases.Client.Repository.Release.Create(Options.Owner, Options.Name, release).ConfigureAwait(false);
            }
            catch (ApiValidationException ex) when (ex.ApiError?.Errors?.Any(e => e.Code == "already_exists") == true)
            {
                // Another run created it between our read and our create; the caller compares manifests.
                var created = await releases.TryGetAsync(tag).ConfigureAwait(false);
                if (created is null)
                {
                    throw;
                }

                return created;
            }
        }, cancellationToken);
    }

    private Task UploadAsync(Release release, string tag, ReleaseFile file, ReleaseAsset? broken, CancellationToken cancellationToken) =>
        releases.Calls.RunAsync($"upload {file.Name} to release {tag}", GitHubPermission.ContentsWrite, async (attempt, token) =>
        {
            // A failed attempt may have landed, or left a broken asset that blocks the name: look before sending again.
            var existing = attempt == 1
                ? broken
                : (await releases.Client.Repository.Release.GetAllAssets(Options.Owner, Options.Name, release.Id).ConfigureAwait(false))
                    .FirstOrDefault(a => a.Name == file.Name);
            if (existing is { State: "uploaded" } && existing.Size == file.Size)
            {
                logger.LogInformation("{Asset} of {Tag} was uploaded by the failed attempt", file.Name, tag);
                return;
            }

            if (existing is not null)
            {
                logger.LogWarning("Deleting the incomplete asset {Asset} of {Tag} ({State}, {Size} bytes) before uploading it again",
                    file.Name, tag, existing.State, existing.Size);
                await releases.Client.Repository.Release.DeleteAsset(Options.Owner, Options.Name, existing.Id).ConfigureAwait(false);
            }

            await using var stream = File.OpenRead(file.Path);
            var upload = new ReleaseAssetUpload(file.Name, ContentType(file.Name), stream, TimeSpan.FromMinutes(10));
            await releases.Client.Repository.Release.UploadAsset(release, upload, token).ConfigureAwait(false);
        }, cancellationToken);

    private static bool IsCommitSha(string commit) => commit.Length == 40 && commit.All(char.IsAsciiHexDigitLower);

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".json" => "application/json",
        ".zip" => "application/zip",
        ".md" => "text/markdown",
        _ => "application/octet-stream",
    };
}
