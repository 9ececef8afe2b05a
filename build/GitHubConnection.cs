using Layercake.Shared.GitHub;

namespace Layercake.Build;

/// <summary>
/// GitHub, when a token and a repository are given (GITHUB_TOKEN, GITHUB_REPOSITORY or --repository, GITHUB_API_URL);
/// otherwise <see cref="Options"/> is null and the local registry is used.
/// </summary>
public sealed record GitHubConnection(GitHubOptions? Options);
