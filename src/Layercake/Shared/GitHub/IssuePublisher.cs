using Microsoft.Extensions.Logging;
using Octokit;

namespace Layercake.Shared.GitHub;

/// <summary>
/// Opens one issue per subject (e.g. a monitoring breach of one model in one environment), found again by a
/// hidden marker <c>&lt;!-- layercake-issue:{key} --&gt;</c> in its body: while it is open, later reports update it
/// instead of opening another; once closed, the next report opens a new one.
/// </summary>
internal sealed class IssuePublisher
{
    private readonly IGitHubClient _client;
    private readonly GitHubOptions _options;
    private readonly ILogger _logger;
    private readonly GitHubCalls _calls;

    public IssuePublisher(IGitHubClient client, GitHubOptions options, ILogger logger, TimeProvider time,
        GitHubRetryPolicy? retryPolicy = null)
    {
        _client = client;
        _options = options;
        _logger = logger;
        _calls = new GitHubCalls(options, logger, time, retryPolicy ?? GitHubRetryPolicy.Default);
    }

    public static string Marker(string key) => $"<!-- layercake-issue:{key} -->";

    public async Task<PublishedIssue> OpenOrUpdateAsync(string key, string title, string markdown, IReadOnlyList<string> labels,
        CancellationToken cancellationToken)
    {
        var marker = Marker(key);
        var body = PullRequestCommentPublisher.Body(marker, markdown);
        var open =
            await _calls.RunAsync($"list the open issues", GitHubPermission.IssuesWrite, (_, _) => FindOpenAsync(marker), cancellationToken)
            .ConfigureAwait(false);
        if (open is not null)
        {
            var update = new IssueUpdate { Title = title, Body = body };
            var updated = await _calls.RunAsync($"update issue #{open.Number}", GitHubPermission.IssuesWrite,
                (_, _) => _client.Issue.Update(_options.Owner, _options.Name, open.Number, update), cancellationToken)
                    .ConfigureAwait(false);
            _logger.LogInformation("Updated issue #{Number} ({Key}): {Url}", updated.Number, key, updated.HtmlUrl);
            return new PublishedIssue(updated.Number, updated.HtmlUrl, Created: false);
        }

        var created = await _calls.RunAsync("open an issue", GitHubPermission.IssuesWrite, async (attempt, _) =>
        {
            // A failed attempt may have opened the issue: look for it before opening another.
            if (attempt > 1 && await FindOpenAsync(marker).ConfigureAwait(false) is { } made)
            {
                return made;
            }

            var issue = new NewIssue(title) { Body = body };
            foreach (var label in labels)
            {
                issue.Labels.Add(label);
            }

            return await _client.Issue.Create(_options.Owner, _options.Name, issue).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Opened issue #{Number} ({Key}): {Url}", created.Number, key, created.HtmlUrl);
        return new PublishedIssue(created.Number, created.HtmlUrl, Created: true);
    }

    private async Task<Issue?> FindOpenAsync(string marker) =>
        (await _client.Issue.GetAllForRepository(_options.Owner, _options.Name, new RepositoryIssueRequest { State = ItemStateFilter.Open })
            .ConfigureAwait(false))
            // The issues list includes pull requests; a marker in a pull request's text is not ours.
            .FirstOrDefault(i => i.PullRequest is null && i.Body?.Contains(marker, StringComparison.Ordinal) == true);
}
