namespace Layercake.Runtime.Scoring.Managed.Kernels.Features;

/// <summary>ai.onnx.ml.Scaler: (x − offset) × scale in float, per feature or one pair for all, as ONNX Runtime computes it.</summary>
internal sealed class ScalerKernel(Operand input, int output, float[] offset, float[] scale) : Kernel
{
    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        if (offset.Length != 1 && offset.Length != width)
        {
            throw new InvalidDataException($"Scaler: {offset.Length} offsets for {width} features.");
        }

        var y = frame.Write<float>(output, width);
        var n = frame.Rows * width;
        var x = input.Kind == ValueKind.Float ? input.Floats(frame) : null;
        var ints = x is null ? input.Ints(frame) : null;
        for (var i = 0; i < n; i++)
        {
            var f = offset.Length == 1 ? 0 : i % width;
            var value = x is not null ? x[i] : ints![i];
            y[i] = (value - offset[f]) * scale[f];
        }
    }
}
