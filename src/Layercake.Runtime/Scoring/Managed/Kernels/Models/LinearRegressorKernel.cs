namespace Layercake.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>ai.onnx.ml.LinearRegressor: X · Wᵀ + b per target; a post transform only applies to two or more targets, as in ONNX
/// Runtime.</summary>
internal sealed class LinearRegressorKernel(Operand input, int output, float[] coefficients, float[] intercepts, string transform) : Kernel
{
    [ThreadStatic] private static float[]? _cast;

    public override void Run(Frame frame)
    {
        var features = input.Width(frame);
        var targets = intercepts.Length;
        if (features * targets != coefficients.Length)
        {
            throw new InvalidDataException(
                $"LinearRegressor: {coefficients.Length} coefficients for {features} features and {targets} targets.");
        }

        var x = LinearKernel.FloatInput(input, frame, ref _cast);
        var scores = frame.Write<float>(output, targets);
        LinearKernel.Scores(x, frame.Rows, features, coefficients, intercepts, scores);
        if (targets > 1)
        {
            for (var r = 0; r < frame.Rows; r++)
            {
                ScoreTransforms.Apply(transform, scores.AsSpan(r * targets, targets));
            }
        }
    }
}
