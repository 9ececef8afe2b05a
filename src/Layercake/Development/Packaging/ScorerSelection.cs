using Layercake.Runtime.Manifest;
using Layercake.Runtime.Manifest.Signature;
using Layercake.Runtime.Preprocessing;
using Layercake.Runtime.Scoring;
using Layercake.Runtime.Scoring.Managed;
using Layercake.Runtime.Scoring.Managed.Onnx;

namespace Layercake.Development.Packaging;

/// <summary>
/// The managed scorer's gate (docs/decisions/0061-scorer-parity-gate-and-fallback.md): it scores the out-of-fold rows (every training row,
/// the first
/// <see cref="MaxRows"/>) that ONNX Runtime scored, and serves only when every label agrees and every probability is
/// within <see cref="Tolerance"/> (regression values relative to max(1, |value|), as the ML.NET parity check has them).
/// Otherwise, or for a graph with an operator it does not know, ONNX Runtime serves and the record says why.
/// </summary>
internal static class ScorerSelection
{
    public const int MaxRows = 100_000;
    public const double Tolerance = 1e-5;

    /// <param name="reference">ONNX Runtime's scores of <paramref name="rows"/> (at least its first <see cref="MaxRows"/>).</param>
    /// <param name="choice">The pipeline's <c>scorer</c>: auto, managed or onnxruntime.</param>
    public static ScorerParity Check(string model, ModelSignature signature, PreparedBatch rows, ScoredBatch reference, string choice)
    {
        var n = Math.Min(rows.RowCount, MaxRows);
        ScoredBatch managed;
        try
        {
            using var scorer = new ManagedModelScorer(model, signature);
            managed = scorer.Score(n == rows.RowCount ? rows : rows.Slice(0, n));
        }
        catch (UnsupportedOnnxException ex)
        {
            return new ScorerParity(ScorerNames.OnnxRuntime, "the managed scorer does not evaluate " + ex.Reason, 0, 0, 0, 0, Tolerance);
        }

        var (probability, value, agreement) = Differences(reference, managed, n);
        var passed = probability <= Tolerance && value <= Tolerance && agreement == 1.0;
        var reason = choice == ScorerNames.OnnxRuntime ? "the pipeline chooses onnxruntime"
            : passed ? null
            : $"the managed scorer differs from ONNX Runtime on the {n} out-of-fold rows (largest difference: probability " +
                $"{probability:G3}, " +
              $"value {value:G3}; labels agree on {agreement:P3}), beyond the tolerance {Tolerance:G1}";
        return new ScorerParity(reason is null ? ScorerNames.Managed : ScorerNames.OnnxRuntime, reason, n, probability, value, agreement,
            Tolerance);
    }

    private static (double Probability, double Value, double Agreement) Differences(ScoredBatch expected, ScoredBatch actual, int n)
    {
        double probability = 0, value = 0;
        var agree = 0;
        for (var i = 0; i < n; i++)
        {
            if (expected.Values is { } values)
            {
                var e = values[i];
                value = Math.Max(value, Difference(e, actual.Values![i]) / Math.Max(1, Math.Abs(e)));
                agree++;
                continue;
            }

            agree += expected.Labels![i] == actual.Labels![i] ? 1 : 0;
            var ep = expected.Probabilities![i];
            var ap = actual.Probabilities![i];
            for (var c = 0; c < ep.Length; c++)
            {
                probability = Math.Max(probability, c < ap.Length ? Difference(ep[c], ap[c]) : double.PositiveInfinity);
            }
        }

        return (probability, value, n == 0 ? 1 : agree / (double)n);
    }

    /// <summary>Equal non-finite values (both NaN, the same infinity) are no difference; one finite and one not is an infinite
    /// one.</summary>
    private static double Difference(float e, float a) =>
        e.Equals(a) ? 0 : float.IsFinite(e) && float.IsFinite(a) ? Math.Abs((double)e - a) : double.PositiveInfinity;
}
