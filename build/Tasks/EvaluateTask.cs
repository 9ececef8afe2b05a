using Layercake.Build.Frosting;
using Layercake.Management.Evaluation;

namespace Layercake.Build.Tasks;

[TaskName("Evaluate")]
[TaskDescription("Shows the leaderboard and applies the pipeline's gates to the winner; a missed threshold fails the build.")]
[IsDependentOn(typeof(TrainTask))]
public sealed class EvaluateTask(EvaluationReview review) : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var request = new EvaluationRequest(context.RunFacts(null), context.Settings.EnvironmentName, context.BaseBranch);
        var outcome = await review.RunAsync(request, context.CancellationToken);
        foreach (var table in outcome.Tables)
        {
            ConsoleReport.Write(context, table);
        }

        context.EvaluationSummary = outcome.Summary;
        StepSummary.Append(context, outcome.Summary);
        if (outcome.Failure is { } failure)
        {
            throw failure;
        }
    }
}
