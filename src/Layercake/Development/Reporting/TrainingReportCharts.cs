using Layercake.Development.Metrics;
using Layercake.Development.Training;

namespace Layercake.Development.Reporting;

/// <summary>Draws every chart of the training report and says, for each file, what it shows.</summary>
internal static class TrainingReportCharts
{
    public static async Task<IReadOnlyList<(string File, string Caption)>> DrawAsync(CrossValidationReport cv, string directory,
        string? trainFolder, CancellationToken cancellationToken)
    {
        var charts = new List<(string, string)>();
        void Add(string file, string caption, Action<string> draw)
        {
            draw(Path.Combine(directory, file));
            charts.Add((file, caption));
        }

        Add("folds.png", $"{cv.PrimaryMetric} per fold, every candidate and the baseline", p => TrainingPlots.Folds(cv, p));
        foreach (var metric in cv.Candidates[0].Metrics.Keys)
        {
            Add($"metric-{metric}.png", $"{metric}: mean ± std over folds, the baseline in grey",
                p => TrainingPlots.MeanWithSpread(cv, metric, p));
        }

        foreach (var searched in cv.Ranked().Where(c => c.Search is not null))
        {
            Add($"search-{string.Concat(searched.Name.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '-'))}.png",
                $"{searched.Name}: {cv.PrimaryMetric} of each search trial on the inner holdouts, the best so far, and the outer " +
                $"(nested) score", p => SearchPlots.Trials(cv, searched, p));
        }

        var winner = cv.WinnerResult;
        if (winner.Diagnostics is { } d)
        {
            ClassificationCharts(cv, winner, d, Add);
        }
        else if (trainFolder is not null && cv.OutOfFoldFolder is not null && File.Exists(OutOfFoldStore.PathOf(trainFolder, winner.Name)))
        {
            var (actual, predicted) = await OutOfFoldStore.ReadValuesAsync(trainFolder, winner.Name, cancellationToken)
                .ConfigureAwait(false);
            Add("predicted-vs-actual.png", $"{winner.Name}: out-of-fold prediction against the actual value",
                p => DiagnosticPlots.PredictedAgainstActual(actual, predicted, $"{cv.Pipeline}: {winner.Name}, predicted against actual",
                p));
            Add("residuals.png", $"{winner.Name}: residuals against the prediction",
                p => DiagnosticPlots.Residuals(actual, predicted, $"{cv.Pipeline}: {winner.Name}, residuals", p));
        }

        if (cv.Importance.Count > 0)
        {
            Add("importance.png", $"{winner.Name}: permutation importance on out-of-fold rows",
                p => DiagnosticPlots.Importance(cv.Importance, cv.PrimaryMetric, $"{cv.Pipeline}: {winner.Name}, permutation importance",
                p));
        }

        return charts;
    }

    private static void ClassificationCharts(
        CrossValidationReport cv, CandidateResult winner, ClassificationDiagnostics d, Action<string, string, Action<string>> add)
    {
        add("confusion.png", $"{winner.Name}: out-of-fold confusion matrix (counts; colour is the share of each actual class)",
            p => DiagnosticPlots.Confusion(cv.Classes, d, $"{cv.Pipeline}: {winner.Name}, confusion matrix", p));
        add("calibration.png", $"{winner.Name}: reliability of {d.Calibration.Reads}",
            p => DiagnosticPlots.Calibration(d.Calibration, $"{cv.Pipeline}: {winner.Name}, calibration", p));
        if (d.Roc is { } roc)
        {
            add("roc.png", $"{winner.Name}: ROC curve, AUC {d.RocAuc:0.000}",
                p => DiagnosticPlots.Curve(roc, "false-positive rate", "true-positive rate", $"AUC {d.RocAuc:0.000}", true,
                $"{cv.Pipeline}: {winner.Name}, ROC", p));
        }

        if (d.PrecisionRecall is { } pr)
        {
            add("precision-recall.png", $"{winner.Name}: precision-recall curve, average precision {d.AveragePrecision:0.000}",
                p => DiagnosticPlots.Curve(pr, "recall", "precision", $"average precision {d.AveragePrecision:0.000}", false,
                $"{cv.Pipeline}: {winner.Name}, precision-recall", p));
        }
    }
}
