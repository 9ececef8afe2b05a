using Layercake.Runtime.Scoring.Managed.Onnx;

namespace Layercake.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>The post transforms of the ai.onnx.ml classifiers and regressors, in float, as ONNX Runtime's ml_common.h has them.</summary>
internal static class ScoreTransforms
{
    public static float Logistic(float value)
    {
        var v = 1f / (1f + MathF.Exp(-Math.Abs(value)));
        return value < 0 ? 1f - v : v;
    }

    public static void Softmax(Span<float> values)
    {
        var max = -float.MaxValue;
        foreach (var value in values)
        {
            max = Math.Max(max, value);
        }

        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    /// <summary>Softmax that leaves (near-)zero scores at zero's share, ONNX Runtime's SOFTMAX_ZERO.</summary>
    public static void SoftmaxZero(Span<float> values)
    {
        var max = -float.MaxValue;
        foreach (var value in values)
        {
            max = Math.Max(max, value);
        }

        var expNegMax = MathF.Exp(-max);
        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] > 0.0000001f || values[i] < -0.0000001f)
            {
                values[i] = MathF.Exp(values[i] - max);
                sum += values[i];
            }
            else
            {
                values[i] *= expNegMax;
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    /// <summary>A row of two or more scores transformed in place; NONE leaves them.</summary>
    public static void Apply(string transform, Span<float> row)
    {
        switch (transform)
        {
            case "NONE": break;
            case "SOFTMAX": Softmax(row); break;
            case "SOFTMAX_ZERO": SoftmaxZero(row); break;
            case "LOGISTIC":
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = Logistic(row[i]);
                }

                break;
            default: throw new UnsupportedOnnxException($"post_transform {transform}");
        }
    }
}
