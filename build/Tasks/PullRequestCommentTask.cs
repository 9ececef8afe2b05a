using Layercake.Build.Frosting;
using Layercake.Shared.GitHub;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("PullRequestComment")]
[TaskDescription("On a pull request under GitHub Actions: one comment with the leaderboard, the gates and the difference from production, updated in place on later pushes.")]
[IsDependentOn(typeof(EvaluateTask))]
public sealed class PullRequestCommentTask : AsyncFrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context)
    {
        if (context.GitHub is null)
        {
            context.Logger.LogInformation("Skipping PullRequestComment: GITHUB_TOKEN and GITHUB_REPOSITORY (or --repository) are not set");
            return false;
        }

        return true;
    }

    public override async Task RunAsync(BuildContext context)
    {
        var github = context.GitHub!;
        var number = await PullRequestEvent.ReadNumberAsync(Environment.GetEnvironmentVariable("GITHUB_EVENT_PATH"), context.CancellationToken);
        if (number is null)
        {
            context.Logger.LogInformation("No pull request in GITHUB_EVENT_PATH; nothing to comment on");
            return;
        }

        var workflow = Environment.GetEnvironmentVariable("GITHUB_WORKFLOW") is { Length: > 0 } name ? name : "ci";
        var body = context.EvaluationSummary ?? $"## {context.Spec.Name}\n\nEvaluate produced no summary.";
        var comment = await new PullRequestCommentPublisher(GitHubClientFactory.Create(github), github, context.Logger, context.Time)
            .PublishAsync(number.Value, workflow, context.Spec.Name, body, context.CancellationToken);
        context.Logger.LogInformation("{Action} the comment on pull request #{Number}: {Url}", comment.Created ? "Posted" : "Updated", number, comment.Url);
    }
}
