namespace Layercake.Shared.GitHub;

/// <summary>
/// A GitHub call that failed for good (after any retries), with a message that names the repository and
/// what to do about it. Messages never contain the token.
/// </summary>
internal sealed class GitHubException(string message, int? statusCode, Exception? innerException = null) : Exception(message,
    innerException)
{
    /// <summary>The HTTP status GitHub answered with, or null when no answer came (network failure).</summary>
    public int? StatusCode { get; } = statusCode;
}
