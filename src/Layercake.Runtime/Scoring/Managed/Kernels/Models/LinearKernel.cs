using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Layercake.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// The scores of ai.onnx.ml.LinearClassifier and LinearRegressor: X · Wᵀ, each a chain of fused multiply-adds along the
/// features as MLAS's SGEMM accumulates them, then the intercept added.
/// </summary>
internal static class LinearKernel
{
    public static void Scores(ReadOnlySpan<float> x, int rows, int features, float[] coefficients, float[] intercepts, Span<float> scores)
    {
        // The NativeAOT server is compiled for any x86-64, where MathF.FusedMultiplyAdd is a call into libm's fmaf per
        // multiply-add: with the server's JSON and HTTP work those calls were 8 % of a 1,000-row request's CPU. Where the
        // JIT knows the processor has the instruction it is used; elsewhere the product, exact in double, is added in
        // double and rounded once more to float (FusedInDouble).
        if (Fma.IsSupported)
        {
            ScoresWithFmaInstruction(x, rows, features, coefficients, intercepts, scores);
            return;
        }

        ScoresInDouble(x, rows, features, coefficients, intercepts, scores);
    }

    internal static void ScoresInDouble(
        ReadOnlySpan<float> x, int rows, int features, float[] coefficients, float[] intercepts, Span<float> scores)
    {
        var targets = intercepts.Length;
        var r = 0;
        // Each sum is a chain of dependent roundings (about 12 cycles a link), so four rows' chains run side by side;
        // each row's chain is the same sequence of operations as alone.
        for (; r + 4 <= rows; r += 4)
        {
            for (var t = 0; t < targets; t++)
            {
                var weights = coefficients.AsSpan(t * features, features);
                var (s0, s1, s2, s3) = (0f, 0f, 0f, 0f);
                for (var f = 0; f < weights.Length; f++)
                {
                    var w = weights[f];
                    s0 = FusedInDouble(x[(r * features) + f], w, s0);
                    s1 = FusedInDouble(x[((r + 1) * features) + f], w, s1);
                    s2 = FusedInDouble(x[((r + 2) * features) + f], w, s2);
                    s3 = FusedInDouble(x[((r + 3) * features) + f], w, s3);
                }

                scores[(r * targets) + t] = s0 + intercepts[t];
                scores[((r + 1) * targets) + t] = s1 + intercepts[t];
                scores[((r + 2) * targets) + t] = s2 + intercepts[t];
                scores[((r + 3) * targets) + t] = s3 + intercepts[t];
            }
        }

        for (; r < rows; r++)
        {
            var row = x.Slice(r * features, features);
            for (var t = 0; t < targets; t++)
            {
                var weights = coefficients.AsSpan(t * features, features);
                var sum = 0f;
                for (var f = 0; f < features; f++)
                {
                    sum = FusedInDouble(row[f], weights[f], sum);
                }

                scores[(r * targets) + t] = sum + intercepts[t];
            }
        }
    }

    internal static void ScoresWithFmaInstruction(
        ReadOnlySpan<float> x, int rows, int features, float[] coefficients, float[] intercepts, Span<float> scores)
    {
        var targets = intercepts.Length;
        for (var r = 0; r < rows; r++)
        {
            var row = x.Slice(r * features, features);
            for (var t = 0; t < targets; t++)
            {
                var weights = coefficients.AsSpan(t * features, features);
                var sum = Vector128<float>.Zero;
                for (var f = 0; f < row.Length && f < weights.Length; f++)
                {
                    sum = Fma.MultiplyAddScalar(Vector128.CreateScalarUnsafe(row[f]), Vector128.CreateScalarUnsafe(weights[f]), sum);
                }

                scores[(r * targets) + t] = sum.ToScalar() + intercepts[t];
            }
        }
    }

    /// <summary>
    /// a × b + c rounded as a fused multiply-add rounds it, without the instruction: a float product is exact in double,
    /// so only the sum is rounded twice (to double, then to float), which differs from one rounding only when the double
    /// lands exactly halfway between two floats: about once in 2^29 operations, and then by one unit in the last place.
    /// </summary>
    internal static float FusedInDouble(float a, float b, float c) => (float)(((double)a * b) + c);

    public static float[] FloatInput(Operand input, Frame frame, ref float[]? buffer)
    {
        if (input.Kind == ValueKind.Float)
        {
            return input.Floats(frame);
        }

        var ints = input.Ints(frame);
        var n = frame.Rows * input.Width(frame);
        if (buffer is null || buffer.Length < n)
        {
            buffer = new float[n];
        }

        for (var i = 0; i < n; i++)
        {
            buffer[i] = ints[i];
        }

        return buffer;
    }
}
