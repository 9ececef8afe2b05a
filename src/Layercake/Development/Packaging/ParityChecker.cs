using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Scoring;

namespace Layercake.Development.Packaging;

/// <summary>
/// Serving parity: the ONNX model must score like the ML.NET model it came from. Probabilities are
/// compared with an absolute tolerance; regression values with a relative one (absolute below 1).
/// Predicted labels must be identical.
/// </summary>
internal static class ParityChecker
{
    public const double ProbabilityTolerance = 1e-4;
    public const double RelativeTolerance = 1e-4;

    public static ParityResult Compare(ModelTask task, ScoredBatch expected, ScoredBatch actual)
    {
        var worst = 0.0;
        var labelsAgree = true;
        if (task == ModelTask.Regression)
        {
            for (var i = 0; i < expected.RowCount; i++)
            {
                var e = expected.Values![i];
                worst = Math.Max(worst, Math.Abs(e - actual.Values![i]) / Math.Max(1, Math.Abs(e)));
            }

            return new ParityResult(worst <= RelativeTolerance, expected.RowCount, worst, RelativeTolerance, "relative");
        }

        for (var i = 0; i < expected.RowCount; i++)
        {
            labelsAgree &= expected.Labels![i] == actual.Labels![i];
            var e = expected.Probabilities![i];
            var a = actual.Probabilities![i];
            if (e.Length != a.Length)
            {
                return new ParityResult(false, expected.RowCount, double.PositiveInfinity, ProbabilityTolerance, "absolute");
            }

            for (var c = 0; c < e.Length; c++)
            {
                worst = Math.Max(worst, Math.Abs(e[c] - a[c]));
            }
        }

        return new ParityResult(labelsAgree && worst <= ProbabilityTolerance, expected.RowCount, labelsAgree ? worst
            : double.PositiveInfinity, ProbabilityTolerance, "absolute");
    }
}
