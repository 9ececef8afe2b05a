using Layercake.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Shared.GitHub;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;
using Octokit;

namespace Layercake.Management.Releases;

/// <summary>
/// Model versions as GitHub releases: tag <c>&lt;model&gt;/v&lt;version&gt;</c>, body = a model card with a
/// hidden manifest hash, assets = the package files. Publishing is <see cref="GitHubReleasePublisher"/>'s,
/// fetching into the local cache <see cref="GitHubReleaseCache"/>'s; listing reads each release's manifest.
/// </summary>
public sealed class GitHubModelRegistry : IModelRegistry
{
    public const string ManifestFile = ReleasePackageFiles.ManifestFile;

    private readonly GitHubReleases _releases;
    private readonly GitHubReleasePublisher _publisher;
    private readonly GitHubReleaseCache _cache;
    private readonly ILogger _logger;

    /// <param name="cacheDirectory">Where <see cref="FetchAsync"/> puts downloaded versions:
    /// <c>&lt;cache&gt;/&lt;model&gt;/&lt;version&gt;/</c>.</param>
    public GitHubModelRegistry(IGitHubClient client, GitHubOptions options, string cacheDirectory, ILogger logger, TimeProvider time,
        GitHubRetryPolicy? retryPolicy = null)
    {
        _releases = new GitHubReleases(client, options, new GitHubCalls(options, logger, time, retryPolicy ?? GitHubRetryPolicy.Default));
        _publisher = new GitHubReleasePublisher(_releases, logger);
        _cache = new GitHubReleaseCache(_releases, Path.GetFullPath(cacheDirectory), logger);
        _logger = logger;
    }

    public string Description => $"GitHub {_releases.Options.Repository}";

    public Task<PublishedVersion> PublishAsync(RegisteredVersion version, CancellationToken cancellationToken) =>
        _publisher.PublishAsync(version, cancellationToken);

    public async Task<IReadOnlyList<PublishedVersion>> ListAsync(string model, CancellationToken cancellationToken)
    {
        var releases = await _releases.ListAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<PublishedVersion>();
        foreach (var release in releases)
        {
            if (release.Draft || !ReleaseTag.TryParse(release.TagName, out var releasedModel, out var version) || releasedModel != model)
            {
                continue;
            }

            var asset = release.Assets.FirstOrDefault(a => a.Name == ManifestFile && a.State == "uploaded");
            if (asset is null)
            {
                // A publish that stopped before its last upload; publishing that version again completes it.
                _logger.LogWarning("{Tag} in {Repository} has no {Manifest} asset yet; skipped", release.TagName,
                    _releases.Options.Repository, ManifestFile);
                continue;
            }

            var bytes = await _releases.DownloadAsync(asset, release.TagName, cancellationToken).ConfigureAwait(false);
            var manifest =
                PackageJson.Deserialize<ModelManifest>(System.Text.Encoding.UTF8.GetString(bytes), $"{release.TagName} {ManifestFile}");
            versions.Add(new PublishedVersion(model, version, release.TagName, release.CreatedAt, manifest, release.HtmlUrl));
        }

        return versions.OrderBy(v => v.Version).ToArray();
    }

    public Task<RegisteredVersion> FetchAsync(string model, SemanticVersion version, CancellationToken cancellationToken) =>
        _cache.FetchAsync(model, version, cancellationToken);
}
