namespace Layercake.Runtime.Scoring.Managed.Kernels.Features;

/// <summary>
/// ai.onnx.ml.Normalizer, row by row, in ONNX Runtime's order of float operations (L2 takes the square root of each
/// square over the sum, not each value over the root), so a tree downstream compares the same bits.
/// </summary>
internal sealed class NormalizerKernel(Operand input, int output, string norm) : Kernel
{
    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        var x = input.Floats(frame);
        var y = frame.Write<float>(output, width);
        for (var r = 0; r < frame.Rows; r++)
        {
            var row = x.AsSpan(r * width, width);
            var into = y.AsSpan(r * width, width);
            switch (norm)
            {
                case "L2": L2(row, into); break;
                case "L1": Divide(row, into, Sum(row, abs: true)); break;
                default: Divide(row, into, Max(row)); break;
            }
        }
    }

    private static void L2(ReadOnlySpan<float> x, Span<float> y)
    {
        var sum = 0f;
        for (var i = 0; i < x.Length; i++)
        {
            y[i] = x[i] * x[i];
            sum += y[i];
        }

        for (var i = 0; i < x.Length; i++)
        {
            y[i] = sum == 0f ? x[i] : x[i] < 0 ? MathF.Sqrt(y[i] / sum) * -1 : MathF.Sqrt(y[i] / sum);
        }
    }

    private static float Sum(ReadOnlySpan<float> x, bool abs)
    {
        var sum = 0f;
        foreach (var value in x)
        {
            sum += abs ? Math.Abs(value) : value;
        }

        return sum;
    }

    private static float Max(ReadOnlySpan<float> x)
    {
        var max = float.MinValue;
        foreach (var value in x)
        {
            max = Math.Max(max, value);
        }

        return max;
    }

    private static void Divide(ReadOnlySpan<float> x, Span<float> y, float by)
    {
        for (var i = 0; i < x.Length; i++)
        {
            y[i] = by == 0f ? x[i] : x[i] / by;
        }
    }
}
