namespace Layercake.Shared.GitHub;

/// <summary>
/// The <c>permissions:</c> entry (of a workflow's GITHUB_TOKEN, or a fine-grained token) each kind of call
/// needs, named in a 403's message.
/// </summary>
internal static class GitHubPermission
{
    public const string ContentsRead = "contents: read";
    public const string ContentsWrite = "contents: write";
    public const string DeploymentsRead = "deployments: read";
    public const string DeploymentsWrite = "deployments: write";
    public const string PullRequestsWrite = "pull-requests: write";
    public const string IssuesWrite = "issues: write";
    public const string ActionsWrite = "actions: write";
}
