using Layercake.Build.Frosting;
using Layercake.Development;
using Layercake.Development.Evaluation;
using Layercake.Development.Reporting;
using Layercake.Development.Training;
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
        ConsoleReport.Write(context, $"Leaderboard ({cv.Folds}-fold cross-validation, mean ± std; * = chosen; the baseline is a constant on the same folds):{(SearchTables.Any(cv) ? $"\n{SearchTables.Note(cv)}" : "")}", LeaderboardFormatter.Leaderboard(cv));
        if (cv.WinnerResult.Diagnostics is { } diagnostics)
        {
            ConsoleReport.Write(context, $"{cv.Winner} per class (out-of-fold, mean ± std over folds):", LeaderboardFormatter.PerClass(diagnostics));
            ConsoleReport.Write(context, $"{cv.Winner} confusion matrix (out-of-fold):", LeaderboardFormatter.Confusion(cv.Classes, diagnostics));
        }

        GateReport report;
        try
        {
            report = await new EvaluateStage(context.Logger).RunAsync(context.Spec, context.Layout, context.CancellationToken);
        }
        catch (GateFailedException failed)
        {
            Summarise(context, cv, failed.Report);
            throw;
        }

        Summarise(context, cv, report);
        var comparison = new ProductionComparison(context.ReleaseRegistry, context.DeploymentHistory, context.Logger);
        if (await comparison.ForAsync(context.Spec, context.EnvironmentName, cv.PrimaryMetric, cv.WinnerResult.Metrics[cv.PrimaryMetric].Mean, context.CancellationToken) is { } production)
        {
            context.Logger.LogInformation("Compared with the version live in {Environment}: {Comparison}", production.Environment, production.Comparison.Describe());
            context.EvaluationSummary += $"\n{production.Markdown}\n";
            StepSummary.Append(context, production.Markdown);
        }
    }

    private static void Summarise(BuildContext context, CrossValidationReport cv, GateReport report)
    {
        ConsoleReport.Write(context, $"Gates for {report.Candidate}:", LeaderboardFormatter.Gates(report));
        var markdown = EvaluationMarkdown.Summary(context.Spec.Name, cv, report);
        if (context.BaseBranch is { } baseBranch
            && context.RunRecorder.CompareWithBranchAsync(context.EvaluatedRunFacts(report), baseBranch, context.CancellationToken).GetAwaiter().GetResult() is { } diff)
        {
            markdown += $"\n{diff}\n";
        }

        context.EvaluationSummary = markdown;
        StepSummary.Append(context, markdown);
    }
}
