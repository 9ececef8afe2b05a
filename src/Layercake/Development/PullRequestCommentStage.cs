using Layercake.Shared.GitHub;
using Microsoft.Extensions.Logging;

namespace Layercake.Development;

/// <summary>
/// Puts Evaluate's summary on the pull request that triggered the workflow: one comment per workflow and pipeline,
/// edited in place on later pushes. Nothing to do when the event is not a pull request.
/// </summary>
public sealed class PullRequestCommentStage(GitHubOptions github, ILogger logger, TimeProvider time)
{
    /// <summary>The comment written, or null when <paramref name="eventPath"/> names no pull request.</summary>
    public async Task<PublishedComment?> RunAsync(string? eventPath, string? workflow, string pipeline, string? summary,
        CancellationToken cancellationToken)
    {
        var number = await PullRequestEvent.ReadNumberAsync(eventPath, cancellationToken).ConfigureAwait(false);
        if (number is null)
        {
            logger.LogInformation("No pull request in GITHUB_EVENT_PATH; nothing to comment on");
            return null;
        }

        var body = summary ?? $"## {pipeline}\n\nEvaluate produced no summary.";
        var comment = await new PullRequestCommentPublisher(GitHubClientFactory.Create(github), github, logger, time)
            .PublishAsync(number.Value, workflow is { Length: > 0 } ? workflow : "ci", pipeline, body, cancellationToken)
                .ConfigureAwait(false);
        logger.LogInformation("{Action} the comment on pull request #{Number}: {Url}", comment.Created ? "Posted" : "Updated", number,
            comment.Url);
        return comment;
    }
}
