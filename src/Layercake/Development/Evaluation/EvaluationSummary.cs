using Layercake.Development.Training;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Evaluation;

namespace Layercake.Development.Evaluation;

/// <summary>The manifest's <see cref="ModelEvaluation"/> from a cross-validation report.</summary>
internal static class EvaluationSummary
{
    public static ModelEvaluation? Of(CrossValidationReport cv)
    {
        if (cv.Baseline is not { } baseline)
        {
            return null;
        }

        var winner = cv.WinnerResult;
        var weakest = winner.Diagnostics?.Weakest;
        return new ModelEvaluation(
            cv.BaselineDescription ?? baseline.Name,
            baseline.Metrics,
            winner.Lift ?? double.NaN,
            weakest?.Class,
            weakest?.Recall.Mean,
            winner.Diagnostics?.Calibration.ExpectedCalibrationError,
            cv.Importance.Select(i => new ColumnImportance(i.Column, i.Drop.Mean, i.Drop.StdDev)).ToArray());
    }
}
