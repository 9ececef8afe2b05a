using Layercake.Shared.Errors;
namespace Layercake.Shared.GitHub;

/// <summary>
/// Which repository the GitHub back end talks to, and with what token. <see cref="ToString"/> leaves the
/// token out, so the options can be logged or put in a message.
/// </summary>
public sealed record GitHubOptions
{
    public const string DefaultApiUrl = "https://api.github.com";

    public GitHubOptions(string token, string owner, string name, Uri apiUrl)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ArgumentException("The GitHub token is empty; set GITHUB_TOKEN.", nameof(token));
        }

        if (!IsRepositoryPart(owner) || !IsRepositoryPart(name))
        {
            throw new ArgumentException($"'{owner}/{name}' is not a GitHub repository; expected owner/name such as octo-org/models.");
        }

        if (!apiUrl.IsAbsoluteUri || (apiUrl.Scheme != Uri.UriSchemeHttps && apiUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The GitHub API URL '{apiUrl}' is not an absolute http(s) URL.", nameof(apiUrl));
        }

        Token = token;
        Owner = owner;
        Name = name;
        ApiUrl = apiUrl;
    }

    public string Token { get; }

    public string Owner { get; }

    public string Name { get; }

    public Uri ApiUrl { get; }

    /// <summary><c>owner/name</c>, as messages name the repository.</summary>
    public string Repository => $"{Owner}/{Name}";

    /// <summary>
    /// Reads <c>GITHUB_TOKEN</c>, <c>GITHUB_REPOSITORY</c> (or <paramref name="repositoryArgument"/>, the
    /// host's repository argument, which wins) and <c>GITHUB_API_URL</c>. Null when the token or
    /// the repository is missing: the build then uses the local registry. Values that are present but
    /// malformed throw, since a typo should not silently fall back to local.
    /// </summary>
    public static GitHubOptions? FromEnvironment(Func<string, string?> environment, string? repositoryArgument)
    {
        var token = environment("GITHUB_TOKEN");
        var repository = string.IsNullOrWhiteSpace(repositoryArgument) ? environment("GITHUB_REPOSITORY") : repositoryArgument;
        if (string.IsNullOrWhiteSpace(token) || string.IsNullOrWhiteSpace(repository))
        {
            return null;
        }

                var parts = repository.Trim().Split('/');
        if (parts.Length != 2 || !IsRepositoryPart(parts[0]) || !IsRepositoryPart(parts[1]))
        {
            throw new InvalidSettingException(SettingNames.Repository, repository,
                "not a GitHub repository; expected owner/name such as octo-org/models.");
        }

        var apiText = environment("GITHUB_API_URL");
        apiText = string.IsNullOrWhiteSpace(apiText) ? DefaultApiUrl : apiText.Trim();
        if (!Uri.TryCreate(apiText, UriKind.Absolute, out var apiUrl)
            || (apiUrl.Scheme != Uri.UriSchemeHttps && apiUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"GITHUB_API_URL: '{apiText}' is not an absolute http(s) URL such as {DefaultApiUrl}.");
        }

        return new GitHubOptions(token.Trim(), parts[0], parts[1], apiUrl);
    }

    public override string ToString() => $"GitHub {Repository} at {ApiUrl}";

    // GitHub allows letters, digits, '-', '_' and '.' in owner and repository names.
    private static bool IsRepositoryPart(string part) =>
        part.Length > 0 && part != "." && part != ".." && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
