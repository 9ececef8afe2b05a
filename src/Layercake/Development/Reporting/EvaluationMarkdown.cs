using Layercake.Development.Evaluation;
using Layercake.Development.Training;

namespace Layercake.Development.Reporting;

/// <summary>Evaluate's summary as Markdown, for the job summary and the pull-request comment.</summary>
internal static class EvaluationMarkdown
{
    public static string Summary(string pipeline, CrossValidationReport cv, GateReport gates)
    {
        var markdown = $"## {pipeline}: leaderboard\n\n{Leading(SearchTables.Note(cv))}{LeaderboardFormatter.Leaderboard(cv)}\n";
        if (cv.WinnerResult.Diagnostics is { } diagnostics)
        {
            markdown += $"## {cv.Winner} per class (out-of-fold)\n\n{LeaderboardFormatter.PerClass(diagnostics)}\n" +
                $"{LeaderboardFormatter.Confusion(cv.Classes, diagnostics)}\n";
        }

        if (SearchTables.Any(cv))
        {
            markdown += $"## Hyper-parameter search\n\n{SearchTables.Summary(cv)}\n";
        }

        return markdown + $"## Gates ({(gates.Passed ? "passed" : "FAILED")})\n\n{LeaderboardFormatter.Gates(gates)}";
    }

    /// <summary>A paragraph before a table, or nothing.</summary>
    public static string Leading(string paragraph) => paragraph.Length == 0 ? "" : $"{paragraph}\n\n";
}
