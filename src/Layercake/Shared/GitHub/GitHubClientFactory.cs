using Octokit;
using Octokit.Internal;

namespace Layercake.Shared.GitHub;

/// <summary>
/// Builds the Octokit client for <see cref="GitHubOptions.ApiUrl"/>. Octokit treats any host other than
/// github.com as GitHub Enterprise Server and puts its requests under <c>/api/v3/</c>, which is also where
/// <c>GITHUB_API_URL</c> points on Enterprise Server.
/// </summary>
public static class GitHubClientFactory
{
    public const string ProductName = "layercake";

    public static IGitHubClient Create(GitHubOptions options)
    {
        var product = new ProductHeaderValue(ProductName, typeof(GitHubClientFactory).Assembly.GetName().Version?.ToString(3) ?? "0");
        var credentials = new InMemoryCredentialStore(new Credentials(options.Token, AuthenticationType.Bearer));
        // This constructor (not one taking a Connection) is the one that adds /api/v3/ for Enterprise Server hosts.
        return new GitHubClient(product, credentials, options.ApiUrl);
    }
}
