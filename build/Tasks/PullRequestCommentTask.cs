using Layercake.Build.Frosting;
using Layercake.Development;
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

    public override Task RunAsync(BuildContext context) =>
        new PullRequestCommentStage(context.GitHub!, context.Logger, context.Time).RunAsync(
            Environment.GetEnvironmentVariable("GITHUB_EVENT_PATH"), Environment.GetEnvironmentVariable("GITHUB_WORKFLOW"),
            context.Spec.Name, context.EvaluationSummary, context.CancellationToken);
}
