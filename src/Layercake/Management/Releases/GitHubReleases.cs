using System.Net.Http.Headers;
using System.Text.Json;
using Layercake.Shared.GitHub;
using Microsoft.Extensions.Logging;
using Octokit;

namespace Layercake.Management.Releases;

/// <summary>
/// The release calls publishing and fetching share, each through <see cref="GitHubCalls"/> so it is retried and
/// its failure names the permission it needed: read a release, list its assets, download one.
/// </summary>
internal sealed class GitHubReleases(IGitHubClient client, GitHubOptions options, GitHubCalls calls)
{
    // Downloads go around Octokit: GitHub serves an asset's bytes for Accept: application/octet-stream, usually
    // by a redirect to storage on another host, which HttpClient follows without the Authorization header.
    private static readonly HttpClient Downloads = new() { Timeout = TimeSpan.FromMinutes(10) };

    public IGitHubClient Client => client;

    public GitHubOptions Options => options;

    public GitHubCalls Calls => calls;

    public Task<Release?> FindAsync(string tag, CancellationToken cancellationToken) =>
        calls.RunAsync($"read release {tag}", GitHubPermission.ContentsRead, (_, _) => TryGetAsync(tag), cancellationToken);

    /// <summary>One unretried read, for use inside a call that is already retried.</summary>
    public async Task<Release?> TryGetAsync(string tag)
    {
        try
        {
            return await client.Repository.Release.Get(options.Owner, options.Name, tag).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            // No such release, or no such repository; creating the release tells the two apart.
            return null;
        }
    }

    /// <summary>A draft for the tag, which reading by tag does not return (a draft owns no tag yet): the oldest, if several.</summary>
    public Task<Release?> FindDraftAsync(string tag, CancellationToken cancellationToken) =>
        calls.RunAsync($"look for a draft release {tag}", GitHubPermission.ContentsRead, (_, _) => TryGetDraftAsync(tag),
            cancellationToken);

    /// <summary>One unretried look for a draft, for use inside a call that is already retried.</summary>
    public async Task<Release?> TryGetDraftAsync(string tag) =>
        (await client.Repository.Release.GetAll(options.Owner, options.Name).ConfigureAwait(false))
            .Where(r => r.Draft && r.TagName == tag).OrderBy(r => r.Id).FirstOrDefault();

    /// <summary>Publishes a draft once its assets are complete; publishing twice is harmless, so every attempt just sends it.</summary>
    public Task<Release> PublishDraftAsync(Release draft, string tag, CancellationToken cancellationToken) =>
        calls.RunAsync($"publish release {tag}", GitHubPermission.ContentsWrite,
            (_, _) => client.Repository.Release.Edit(options.Owner, options.Name, draft.Id, new ReleaseUpdate { Draft = false }),
                cancellationToken);

    public Task<IReadOnlyList<Release>> ListAsync(CancellationToken cancellationToken) =>
        calls.RunAsync("list releases", GitHubPermission.ContentsRead,
            (_, _) => client.Repository.Release.GetAll(options.Owner, options.Name), cancellationToken);

    public Task<IReadOnlyList<ReleaseAsset>> ListAssetsAsync(Release release, string tag, CancellationToken cancellationToken) =>
        calls.RunAsync($"list the assets of release {tag}", GitHubPermission.ContentsRead,
            (_, _) => client.Repository.Release.GetAllAssets(options.Owner, options.Name, release.Id), cancellationToken);

    public ReleaseAsset Asset(IReadOnlyList<ReleaseAsset> assets, string name, string tag) =>
        assets.FirstOrDefault(a => a.Name == name && a.State == "uploaded")
        ?? throw new InvalidDataException($"{tag} in {options.Repository} has no {name} asset; publish the version again to complete it.");

    public Task<byte[]> DownloadAsync(ReleaseAsset asset, string tag, CancellationToken cancellationToken) =>
        calls.RunAsync($"download {asset.Name} of release {tag}", GitHubPermission.ContentsRead, async (_, token) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, asset.Url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/octet-stream"));
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue(GitHubClientFactory.ProductName, "1"));
            using var response = await Downloads.SendAsync(request, token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var headers = response.Headers.Concat(response.Content.Headers)
                    .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
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
}
