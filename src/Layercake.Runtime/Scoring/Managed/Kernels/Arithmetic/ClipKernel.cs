namespace Layercake.Runtime.Scoring.Managed.Kernels.Arithmetic;

/// <summary>Clip: each element bounded by min and max (inputs since opset 11, attributes before).</summary>
internal sealed class ClipKernel(Operand input, int output, float min, float max) : Kernel
{
    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        var x = input.Floats(frame);
        var y = frame.Write<float>(output, width);
        for (var i = 0; i < frame.Rows * width; i++)
        {
            y[i] = Math.Min(Math.Max(x[i], min), max);
        }
    }
}
