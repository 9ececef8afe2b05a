namespace Layercake.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// The scores of ai.onnx.ml.LinearClassifier and LinearRegressor: X · Wᵀ, each a chain of fused multiply-adds along the
/// features as MLAS's SGEMM accumulates them, then the intercept added.
/// </summary>
internal static class LinearKernel
{
    public static void Scores(ReadOnlySpan<float> x, int rows, int features, float[] coefficients, float[] intercepts, Span<float> scores)
    {
        var targets = intercepts.Length;
        for (var r = 0; r < rows; r++)
        {
            var row = x.Slice(r * features, features);
            for (var t = 0; t < targets; t++)
            {
                var weights = coefficients.AsSpan(t * features, features);
                var sum = 0f;
                for (var f = 0; f < features; f++)
                {
                    sum = MathF.FusedMultiplyAdd(row[f], weights[f], sum);
                }

                scores[(r * targets) + t] = sum + intercepts[t];
            }
        }
    }

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
