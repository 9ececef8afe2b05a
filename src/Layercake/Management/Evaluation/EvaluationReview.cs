using Layercake.Development;
using Layercake.Development.Evaluation;
using Layercake.Development.Reporting;
using Layercake.Development.Training;
using Layercake.Management.Promotion;
using Layercake.Shared.Reporting;
using Microsoft.Extensions.Logging;

namespace Layercake.Management.Evaluation;

/// <summary>
/// The Evaluate stage as a reviewer reads it: the leaderboard with the baseline, the winner's per-class figures and
/// confusion matrix, the gates, and how the challenger compares with the base branch's last run and with the version
/// live in production. The comparisons inform; only the gates decide.
/// </summary>
public sealed class EvaluationReview(ProductionComparison production, RunRecorder recorder, ILogger logger)
{
    public async Task<EvaluationOutcome> RunAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        var spec = request.Run.Spec;
        var cv = await TrainStage.ReadReportAsync(request.Run.Layout, cancellationToken).ConfigureAwait(false);
        var tables = Leaderboard(cv);
        GateReport gates;
        GateFailedException? failure = null;
        try
        {
            gates = await new EvaluateStage(logger).RunAsync(spec, request.Run.Layout, cancellationToken).ConfigureAwait(false);
        }
        catch (GateFailedException failed)
        {
            (gates, failure) = (failed.Report, failed);
        }

        tables.Add(new ReportTable($"Gates for {gates.Candidate}:", LeaderboardFormatter.Gates(gates)));
        var summary = EvaluationMarkdown.Summary(spec.Name, cv, gates);
        if (request.BaseBranch is { } baseBranch
            && await recorder.CompareWithBranchAsync(request.Run.Evaluated(gates), baseBranch, cancellationToken)
                .ConfigureAwait(false) is { } diff)
        {
            summary += $"\n{diff}\n";
        }

        if (failure is null
            && await production.ForAsync(spec, request.Environment, cv.PrimaryMetric, cv.WinnerResult.Metrics[cv.PrimaryMetric].Mean,
                cancellationToken)
                .ConfigureAwait(false) is { } live)
        {
            logger.LogInformation("Compared with the version live in {Environment}: {Comparison}", live.Environment,
                live.Comparison.Describe());
            summary += $"\n{live.Markdown}\n";
        }

        return new EvaluationOutcome(tables, summary, failure);
    }

    private static List<ReportTable> Leaderboard(CrossValidationReport cv)
    {
        var search = SearchTables.Any(cv) ? $"\n{SearchTables.Note(cv)}" : "";
        var tables = new List<ReportTable>
        {
            new($"Leaderboard ({cv.Folds}-fold cross-validation, mean ± std; * = chosen; the baseline is a constant on the same folds):" +
                $"{search}",
                LeaderboardFormatter.Leaderboard(cv)),
        };
        if (cv.WinnerResult.Diagnostics is { } diagnostics)
        {
            tables.Add(new($"{cv.Winner} per class (out-of-fold, mean ± std over folds):", LeaderboardFormatter.PerClass(diagnostics)));
            tables.Add(new($"{cv.Winner} confusion matrix (out-of-fold):", LeaderboardFormatter.Confusion(cv.Classes, diagnostics)));
        }

        return tables;
    }
}
