using Layercake.Build.Frosting;
using Layercake.Development;
using Layercake.Development.Evaluation;
using Layercake.Development.Reporting;
using Layercake.Management.Promotion;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Evaluate")]
[TaskDescription("Shows the leaderboard and applies the pipeline's gates to the winner; a missed threshold fails the build.")]
[IsDependentOn(typeof(TrainTask))]
public sealed class EvaluateTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var cv = await TrainStage.ReadReportAsync(context.Layout, context.CancellationToken);
        var leaderboard = LeaderboardFormatter.Leaderboard(cv);
        ConsoleReport.Write(context, $"Leaderboard ({cv.Folds}-fold cross-validation, mean ± std; * = chosen):", leaderboard);

        GateReport report;
        try
        {
            report = await new EvaluateStage(context.Logger).RunAsync(context.Spec, context.Layout, context.CancellationToken);
        }
        catch (GateFailedException failed)
        {
            Summarise(context, leaderboard, failed.Report);
            throw;
        }

        Summarise(context, leaderboard, report);
        var comparison = new ProductionComparison(context.ReleaseRegistry, context.DeploymentHistory, context.Logger);
        if (await comparison.ForAsync(context.Spec, context.EnvironmentName, cv, context.CancellationToken) is { } production)
        {
            context.Logger.LogInformation("Compared with the version live in {Environment}: {Comparison}", production.Environment, production.Comparison.Describe());
            context.EvaluationSummary += $"\n{production.Markdown}\n";
            StepSummary.Append(context, production.Markdown);
        }
    }

    private static void Summarise(BuildContext context, string leaderboard, GateReport report)
    {
        var gates = LeaderboardFormatter.Gates(report);
        ConsoleReport.Write(context, $"Gates for {report.Candidate}:", gates);
        var markdown = $"## {context.Spec.Name}: leaderboard\n\n{leaderboard}\n## Gates ({(report.Passed ? "passed" : "FAILED")})\n\n{gates}";
        context.EvaluationSummary = markdown;
        StepSummary.Append(context, markdown);
    }
}
