using Layercake.Development.Metrics;
using Layercake.Development.Training;
using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Calibration;
using Layercake.Runtime.Manifest.Signature;

namespace Layercake.Development.Evaluation;

/// <summary>The winner's calibration check (<see cref="CalibrationCheck"/>) from its out-of-fold predictions, when Train kept
/// them.</summary>
internal static class WinnerCalibration
{
    public static async Task<ProbabilityCalibration?> CheckAsync(string trainFolder, CrossValidationReport cv, ModelTask task,
        CancellationToken cancellationToken)
    {
        if (task == ModelTask.Regression || cv.OutOfFoldFolder is null || !File.Exists(OutOfFoldStore.PathOf(trainFolder, cv.Winner)))
        {
            return null;
        }

        var (actual, predicted, fold, probabilities) =
            await OutOfFoldStore.ReadClassesAsync(trainFolder, cv.Winner, cv.Classes, cancellationToken).ConfigureAwait(false);
        return CalibrationCheck.Check(task, cv.Classes, actual, predicted, fold, probabilities);
    }
}
