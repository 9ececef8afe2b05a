namespace Layercake.Shared.GitHub;

/// <summary>A non-success answer to a request made without Octokit (asset downloads), so it is retried and reported the same way.</summary>
internal sealed class GitHubHttpException(int status, string message, IReadOnlyDictionary<string, string> headers) : Exception(message)
{
    public int Status { get; } = status;

    public IReadOnlyDictionary<string, string> Headers { get; } = headers;
}
