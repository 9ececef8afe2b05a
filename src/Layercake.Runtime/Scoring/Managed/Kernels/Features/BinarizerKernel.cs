namespace Layercake.Runtime.Scoring.Managed.Kernels.Features;

/// <summary>
/// ai.onnx.ml.Binarizer (ML.NET's binary label: the score above the threshold): 1 above, 0 otherwise, and a NaN input
/// an error, as ONNX Runtime has it.
/// </summary>
internal sealed class BinarizerKernel(Operand input, int output, float threshold) : Kernel
{
    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        var x = input.Floats(frame);
        var y = frame.Write<float>(output, width);
        for (var i = 0; i < frame.Rows * width; i++)
        {
            y[i] = float.IsNaN(x[i]) ? throw new InvalidDataException($"Binarizer: input data with index {i} is NaN.") : x[i] > threshold
                ? 1f : 0f;
        }
    }
}
