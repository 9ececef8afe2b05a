using System.Net.Http.Headers;
using System.Text.Json;
using Layercake.Management.Registry;
using Layercake.Runtime.Manifest;
using Layercake.Shared.GitHub;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;
using Octokit;

namespace Layercake.Management.Releases;

/// <summary>
/// Model versions as GitHub releases: tag <c>&lt;model&gt;/v&lt;version&gt;</c>, body = a model card with a
/// hidden manifest hash, assets = the package files. Publishing is idempotent and never makes duplicates: an
/// existing release for the same manifest is completed (missing assets uploaded), one for a different manifest
/// is refused, and every create re-reads what a failed attempt may have left before trying again.
/// </summary>
public sealed class GitHubModelRegistry : IModelRegistry
{
    public const string ManifestFile = "manifest.json";

    // Downloads go around Octokit: GitHub serves an asset's bytes for Accept: application/octet-stream, usually
    // by a redirect to storage on another host, which HttpClient follows without the Authorization header.
    private static readonly HttpClient Downloads = new() { Timeout = TimeSpan.FromMinutes(10) };

    private readonly IGitHubClient _client;
    private readonly GitHubOptions _options;
    private readonly string _cacheDirectory;
    private readonly ILogger _logger;
    private readonly GitHubCalls _calls;

    /// <param name="cacheDirectory">Where <see cref="FetchAsync"/> puts downloaded versions: <c>&lt;cache&gt;/&lt;model&gt;/&lt;version&gt;/</c>.</param>
    public GitHubModelRegistry(IGitHubClient client, GitHubOptions options, string cacheDirectory, ILogger logger, TimeProvider time, GitHubRetryPolicy? retryPolicy = null)
    {
        _client = client;
        _options = options;
        _cacheDirectory = Path.GetFullPath(cacheDirectory);
        _logger = logger;
        _calls = new GitHubCalls(options, logger, time, retryPolicy ?? GitHubRetryPolicy.Default);
    }

    public string Description => $"GitHub {_options.Repository}";

    public async Task<PublishedVersion> PublishAsync(RegisteredVersion version, CancellationToken cancellationToken)
    {
        var tag = ReleaseTag.For(version.Pipeline, version.Version);
        var manifestSha256 = await Sha256.OfFileAsync(Path.Combine(version.Directory, ManifestFile), cancellationToken).ConfigureAwait(false);
        var files = await LocalFilesAsync(version, cancellationToken).ConfigureAwait(false);

        var release = await FindReleaseAsync(tag, cancellationToken).ConfigureAwait(false);
        if (release is null)
        {
            release = await CreateReleaseAsync(version, tag, manifestSha256, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Created release {Tag} in {Repository}", tag, _options.Repository);
        }

        var released = ReleaseNotes.ManifestSha256(release.Body);
        if (released != manifestSha256)
        {
            throw new InvalidOperationException(released is null
                ? $"{tag} already exists in {_options.Repository} but was not published by Layercake (its release notes have no manifest marker); versions are immutable, so choose another --version or delete that release."
                : $"{version.Pipeline} {version.Version} is already released in {_options.Repository} ({tag}) with a different manifest; versions are immutable, so choose another --version.");
        }

        var assets = await ListAssetsAsync(release, tag, cancellationToken).ConfigureAwait(false);
        var uploaded = 0;
        foreach (var file in files)
        {
            var asset = assets.FirstOrDefault(a => a.Name == file.Name);
            if (asset is { State: "uploaded" })
            {
                if (asset.Size != file.Size)
                {
                    throw new InvalidOperationException(
                        $"{tag} in {_options.Repository} has an asset {file.Name} of {asset.Size} bytes where the package's is {file.Size}; versions are immutable, so the release was left as it is.");
                }

                continue;
            }

            await UploadAsync(release, tag, file, asset, cancellationToken).ConfigureAwait(false);
            uploaded++;
        }

        if (uploaded == 0)
        {
            _logger.LogInformation("{Tag} is already published in {Repository} with this manifest; nothing to do", tag, _options.Repository);
        }
        else
        {
            _logger.LogInformation("Published {Tag} to {Repository}: uploaded {Uploaded} of {Total} assets", tag, _options.Repository, uploaded, files.Count);
        }

        return new PublishedVersion(version.Pipeline, version.Version, tag, release.CreatedAt, version.Manifest, release.HtmlUrl);
    }

    public async Task<IReadOnlyList<PublishedVersion>> ListAsync(string model, CancellationToken cancellationToken)
    {
        var releases = await _calls.RunAsync("list releases", GitHubPermission.ContentsRead,
            (_, _) => _client.Repository.Release.GetAll(_options.Owner, _options.Name), cancellationToken).ConfigureAwait(false);
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
                _logger.LogWarning("{Tag} in {Repository} has no {Manifest} asset yet; skipped", release.TagName, _options.Repository, ManifestFile);
                continue;
            }

            var bytes = await DownloadAsync(asset, release.TagName, cancellationToken).ConfigureAwait(false);
            var manifest = PackageJson.Deserialize<ModelManifest>(System.Text.Encoding.UTF8.GetString(bytes), $"{release.TagName} {ManifestFile}");
            versions.Add(new PublishedVersion(model, version, release.TagName, release.CreatedAt, manifest, release.HtmlUrl));
        }

        return versions.OrderBy(v => v.Version).ToArray();
    }

    public async Task<RegisteredVersion> FetchAsync(string model, SemanticVersion version, CancellationToken cancellationToken)
    {
        var tag = ReleaseTag.For(model, version);
        var destination = Path.Combine(_cacheDirectory, model, version.ToString());
        if (Directory.Exists(destination))
        {
            var problem = await VerifyAsync(destination, null, cancellationToken).ConfigureAwait(false);
            if (problem is null)
            {
                var cached = await PackageJson.ReadAsync<ModelManifest>(Path.Combine(destination, ManifestFile), cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("{Tag} is already in the cache at {Directory}", tag, destination);
                return new RegisteredVersion(model, version, destination, cached, Existing: true);
            }

            _logger.LogWarning("The cached copy of {Tag} at {Directory} is not intact ({Problem}); downloading it again", tag, destination, problem);
        }

        var release = await FindReleaseAsync(tag, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{model} {version} is not released in {_options.Repository}: there is no release with tag {tag}.");
        var assets = await ListAssetsAsync(release, tag, cancellationToken).ConfigureAwait(false);

        using var staging = new StagingDirectory(destination);
        var manifestAsset = Asset(assets, ManifestFile, tag);
        await File.WriteAllBytesAsync(staging.File(ManifestFile), await DownloadAsync(manifestAsset, tag, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var manifestSha256 = await Sha256.OfFileAsync(staging.File(ManifestFile), cancellationToken).ConfigureAwait(false);
        var expected = ReleaseNotes.ManifestSha256(release.Body);
        if (expected is not null && expected != manifestSha256)
        {
            throw new InvalidDataException($"{tag} in {_options.Repository}: {ManifestFile} has sha256 {manifestSha256}, but the release was published for {expected}.");
        }

        var manifest = await PackageJson.ReadAsync<ModelManifest>(staging.File(ManifestFile), cancellationToken).ConfigureAwait(false);
        foreach (var name in manifest.Files.Keys.Order(StringComparer.Ordinal))
        {
            RequirePlainName(name, tag);
            var bytes = await DownloadAsync(Asset(assets, name, tag), tag, cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(staging.File(name), bytes, cancellationToken).ConfigureAwait(false);
        }

        var mismatch = await VerifyAsync(staging.Root, manifest, cancellationToken).ConfigureAwait(false);
        if (mismatch is not null)
        {
            throw new InvalidDataException($"{tag} from {_options.Repository}: {mismatch}; nothing was kept.");
        }

        staging.Commit();
        _logger.LogInformation("Fetched {Tag} from {Repository} into {Directory}", tag, _options.Repository, destination);
        return new RegisteredVersion(model, version, destination, manifest, Existing: false);
    }

    private async Task<IReadOnlyList<LocalFile>> LocalFilesAsync(RegisteredVersion version, CancellationToken cancellationToken)
    {
        var files = new List<LocalFile>();
        foreach (var (name, sha256) in version.Manifest.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            RequirePlainName(name, version.Directory);
            var path = Path.Combine(version.Directory, name);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{version.Directory}: the manifest lists {name}, which is missing; the package is incomplete.", path);
            }

            // A damaged local package must not become an immutable release.
            var actual = await Sha256.OfFileAsync(path, cancellationToken).ConfigureAwait(false);
            if (actual != sha256)
            {
                throw new InvalidDataException($"{path}: sha256 {actual} differs from the manifest's {sha256}; the package was changed after it was registered.");
            }

            files.Add(new LocalFile(name, path, new FileInfo(path).Length));
        }

        // manifest.json goes last, so a release whose manifest is there had every other asset uploaded before it.
        var manifestPath = Path.Combine(version.Directory, ManifestFile);
        files.Add(new LocalFile(ManifestFile, manifestPath, new FileInfo(manifestPath).Length));
        return files;
    }

    private Task<Release?> FindReleaseAsync(string tag, CancellationToken cancellationToken) =>
        _calls.RunAsync($"read release {tag}", GitHubPermission.ContentsRead, (_, _) => TryGetReleaseAsync(tag), cancellationToken);

    private async Task<Release?> TryGetReleaseAsync(string tag)
    {
        try
        {
            return await _client.Repository.Release.Get(_options.Owner, _options.Name, tag).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            // No such release, or no such repository; creating the release tells the two apart.
            return null;
        }
    }

    private Task<Release> CreateReleaseAsync(RegisteredVersion version, string tag, string manifestSha256, CancellationToken cancellationToken)
    {
        var release = new NewRelease(tag)
        {
            Name = $"{version.Pipeline} {version.Version}",
            Body = ReleaseNotes.Write(version.Manifest with { Version = version.Version.ToString() }, manifestSha256),
            Draft = false,
            Prerelease = false,
        };
        if (IsCommitSha(version.Manifest.Lineage.GitCommit))
        {
            release.TargetCommitish = version.Manifest.Lineage.GitCommit;
        }

        return _calls.RunAsync($"create release {tag}", GitHubPermission.ContentsWrite, async (attempt, _) =>
        {
            // The failed attempt may have created the release before its answer was lost.
            if (attempt > 1 && await TryGetReleaseAsync(tag).ConfigureAwait(false) is { } made)
            {
                return made;
            }

            try
            {
                return await _client.Repository.Release.Create(_options.Owner, _options.Name, release).ConfigureAwait(false);
            }
            catch (ApiValidationException ex) when (ex.ApiError?.Errors?.Any(e => e.Code == "already_exists") == true)
            {
                // Another run created it between our read and our create; the caller compares manifests.
                var created = await TryGetReleaseAsync(tag).ConfigureAwait(false);
                if (created is null)
                {
                    throw;
                }

                return created;
            }
        }, cancellationToken);
    }

    private Task<IReadOnlyList<ReleaseAsset>> ListAssetsAsync(Release release, string tag, CancellationToken cancellationToken) =>
        _calls.RunAsync($"list the assets of release {tag}", GitHubPermission.ContentsRead,
            (_, _) => _client.Repository.Release.GetAllAssets(_options.Owner, _options.Name, release.Id), cancellationToken);

    private Task UploadAsync(Release release, string tag, LocalFile file, ReleaseAsset? broken, CancellationToken cancellationToken) =>
        _calls.RunAsync($"upload {file.Name} to release {tag}", GitHubPermission.ContentsWrite, async (attempt, token) =>
        {
            // A failed attempt may have landed, or left a broken asset that blocks the name: look before sending again.
            var existing = attempt == 1
                ? broken
                : (await _client.Repository.Release.GetAllAssets(_options.Owner, _options.Name, release.Id).ConfigureAwait(false)).FirstOrDefault(a => a.Name == file.Name);
            if (existing is { State: "uploaded" } && existing.Size == file.Size)
            {
                _logger.LogInformation("{Asset} of {Tag} was uploaded by the failed attempt", file.Name, tag);
                return;
            }

            if (existing is not null)
            {
                _logger.LogWarning("Deleting the incomplete asset {Asset} of {Tag} ({State}, {Size} bytes) before uploading it again", file.Name, tag, existing.State, existing.Size);
                await _client.Repository.Release.DeleteAsset(_options.Owner, _options.Name, existing.Id).ConfigureAwait(false);
            }

            await using var stream = File.OpenRead(file.Path);
            var upload = new ReleaseAssetUpload(file.Name, ContentType(file.Name), stream, TimeSpan.FromMinutes(10));
            await _client.Repository.Release.UploadAsset(release, upload, token).ConfigureAwait(false);
        }, cancellationToken);

    private Task<byte[]> DownloadAsync(ReleaseAsset asset, string tag, CancellationToken cancellationToken) =>
        _calls.RunAsync($"download {asset.Name} of release {tag}", GitHubPermission.ContentsRead, async (_, token) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, asset.Url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/octet-stream"));
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue(GitHubClientFactory.ProductName, "1"));
            using var response = await Downloads.SendAsync(request, token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
                throw new GitHubHttpException((int)response.StatusCode, ErrorMessage(body), headers);
            }

            return body;
        }, cancellationToken);

    private static string ErrorMessage(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static async Task<string?> VerifyAsync(string directory, ModelManifest? manifest, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            return $"{ManifestFile} is missing";
        }

        try
        {
            manifest ??= await PackageJson.ReadAsync<ModelManifest>(manifestPath, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return ex.Message;
        }

        foreach (var (name, expected) in manifest.Files)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                return $"{name} is missing";
            }

            var actual = await Sha256.OfFileAsync(path, cancellationToken).ConfigureAwait(false);
            if (actual != expected)
            {
                return $"{name} has sha256 {actual}, but the manifest says {expected}";
            }
        }

        return null;
    }

    private ReleaseAsset Asset(IReadOnlyList<ReleaseAsset> assets, string name, string tag) =>
        assets.FirstOrDefault(a => a.Name == name && a.State == "uploaded")
        ?? throw new InvalidDataException($"{tag} in {_options.Repository} has no {name} asset; publish the version again to complete it.");

    // A manifest names files in its own folder; anything else (a path, "..") would write outside the cache.
    private static void RequirePlainName(string name, string source)
    {
        if (name.Length == 0 || Path.GetFileName(name) != name || name is "." or ".." || name.Contains('\\'))
        {
            throw new InvalidDataException($"{source}: the manifest lists '{name}', which is not a plain file name.");
        }
    }

    private static bool IsCommitSha(string commit) => commit.Length == 40 && commit.All(char.IsAsciiHexDigitLower);

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".json" => "application/json",
        ".zip" => "application/zip",
        ".md" => "text/markdown",
        _ => "application/octet-stream",
    };

    private sealed record LocalFile(string Name, string Path, long Size);
}
