using Layercake.Build.Frosting;
using Layercake.Development;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("PullRequestComment")]
[TaskDescription(
    "On a pull request under GitHub Actions: one comment with the leaderboard, the gates and the difference from production, updated in " +
    "place on later pushes.")]
[IsDependentOn(typeof(EvaluateTask))]
public sealed class PullRequestCommentTask(GitHubConnection github, ILogger logger, TimeProvider time) : AsyncFrostingTask<BuildContext>
{
    /// <summary>
    /// Without GitHub the task says so and succeeds, rather than being skipped by a criterion: Cake fails a target that
    /// its criterion skipped, and the docs promise this optional integration a clean skip.
    /// </summary>
    public override Task RunAsync(BuildContext context)
    {
        if (github.Options is not { } options)
        {
            logger.LogInformation(
                "Skipping PullRequestComment: set GITHUB_TOKEN and GITHUB_REPOSITORY (or --repository) to comment on the pull request");
            return Task.CompletedTask;
        }

        return new PullRequestCommentStage(options, logger, time).RunAsync(
            Environment.GetEnvironmentVariable("GITHUB_EVENT_PATH"), Environment.GetEnvironmentVariable("GITHUB_WORKFLOW"),
            context.Spec.Name, context.EvaluationSummary, context.CancellationToken);
    }
}
