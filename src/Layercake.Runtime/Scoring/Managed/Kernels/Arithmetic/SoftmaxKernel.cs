using Layercake.Runtime.Scoring.Managed.Kernels.Models;
namespace Layercake.Runtime.Scoring.Managed.Kernels.Arithmetic;

/// <summary>Softmax along the last axis of [rows, width].</summary>
internal sealed class SoftmaxKernel(Operand input, int output) : Kernel
{
    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        var y = frame.Write<float>(output, width);
        Array.Copy(input.Floats(frame), y, frame.Rows * width);
        for (var r = 0; r < frame.Rows; r++)
        {
            ScoreTransforms.Softmax(y.AsSpan(r * width, width));
        }
    }
}
