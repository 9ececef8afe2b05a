namespace Layercake.Runtime.Scoring.Managed.Kernels.Features;

/// <summary>ai.onnx.ml.LabelEncoder: each element looked up in the keys, the default where it is not one.</summary>
internal sealed class LabelEncoderKernel<TIn, TOut>(Operand input, int output, Dictionary<TIn, TOut> map, TOut fallback) : Kernel
    where TIn : notnull
{
    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        var x = frame.Read<TIn>(input.Slot);
        var y = frame.Write<TOut>(output, width);
        var n = frame.Rows * width;
        for (var i = 0; i < n; i++)
        {
            y[i] = map.TryGetValue(x[i], out var value) ? value : fallback;
        }
    }
}
