using Microsoft.Extensions.Logging;
using Octokit;

namespace Layercake.Shared.GitHub;

/// <summary>
/// Keeps one comment per workflow and pipeline on a pull request, found by a hidden marker
/// <c>&lt;!-- layercake:{workflow}:{pipeline} --&gt;</c>: the first run creates it, later runs edit it in place,
/// so a pull request shows the latest results instead of a comment per push.
/// </summary>
internal sealed class PullRequestCommentPublisher
{
    // GitHub refuses comment bodies over 65,536 characters.
    internal const int MaxBody = 65_536;

    private readonly IGitHubClient _client;
    private readonly GitHubOptions _options;
    private readonly ILogger _logger;
    private readonly GitHubCalls _calls;

    public PullRequestCommentPublisher(IGitHubClient client, GitHubOptions options, ILogger logger, TimeProvider time,
        GitHubRetryPolicy? retryPolicy = null)
    {
        _client = client;
        _options = options;
        _logger = logger;
        _calls = new GitHubCalls(options, logger, time, retryPolicy ?? GitHubRetryPolicy.Default);
    }

    public static string Marker(string workflow, string pipeline) => $"<!-- layercake:{workflow}:{pipeline} -->";

    public async Task<PublishedComment> PublishAsync(int pullRequest, string workflow, string pipeline, string markdown,
        CancellationToken cancellationToken)
    {
        var marker = Marker(workflow, pipeline);
        var body = Body(marker, markdown);
        var where = $"pull request #{pullRequest}";
        var existing = await _calls.RunAsync($"list the comments of {where}", GitHubPermission.PullRequestsWrite,
            (_, _) => FindAsync(pullRequest, marker), cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (existing.Body != body)
            {
                existing = await _calls.RunAsync($"update comment {existing.Id} on {where}", GitHubPermission.PullRequestsWrite,
                    (_, _) => _client.Issue.Comment.Update(_options.Owner, _options.Name, existing.Id, body), cancellationToken)
                        .ConfigureAwait(false);
            }

            _logger.LogInformation("Updated the {Workflow} comment for {Pipeline} on {Where}: {Url}", workflow, pipeline, where,
                existing.HtmlUrl);
            return new PublishedComment(existing.Id, existing.HtmlUrl, Created: false);
        }

        var created = await _calls.RunAsync($"comment on {where}", GitHubPermission.PullRequestsWrite, async (attempt, _) =>
            // A failed attempt may have posted the comment: look for it before posting again.
            (attempt > 1 ? await FindAsync(pullRequest, marker).ConfigureAwait(false) : null)
                ?? await _client.Issue.Comment.Create(_options.Owner, _options.Name, pullRequest, body).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Commented {Workflow} results for {Pipeline} on {Where}: {Url}", workflow, pipeline, where, created.HtmlUrl);
        return new PublishedComment(created.Id, created.HtmlUrl, Created: true);
    }

    private async Task<IssueComment?> FindAsync(int pullRequest, string marker) =>
        (await _client.Issue.Comment.GetAllForIssue(_options.Owner, _options.Name, pullRequest).ConfigureAwait(false))
            .FirstOrDefault(c => c.Body?.Contains(marker, StringComparison.Ordinal) == true);

    internal static string Body(string marker, string markdown)
    {
        var body = marker + "\n" + markdown.TrimEnd() + "\n";
        const string cut = "\n\n_(cut to fit GitHub's comment size; the job summary has everything)_\n";
        return body.Length <= MaxBody ? body : body[..(MaxBody - cut.Length)] + cut;
    }
}
