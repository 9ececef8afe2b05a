namespace Layercake.Runtime.Scoring.Managed.Kernels.Features;

/// <summary>ai.onnx.ml.Imputer: elements equal to the replaced value (or NaN, when that is NaN) take the imputed value.</summary>
internal sealed class ImputerKernel(Operand input, int output, float[] imputed, float replaced, long[] imputedInts,
    long replacedInt) : Kernel
{
    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        var n = frame.Rows * width;
        if (input.Kind == ValueKind.Int)
        {
            var xi = input.Ints(frame);
            var yi = frame.Write<long>(output, width);
            for (var i = 0; i < n; i++)
            {
                yi[i] = xi[i] == replacedInt ? imputedInts[imputedInts.Length == 1 ? 0 : i % width] : xi[i];
            }

            return;
        }

        var x = input.Floats(frame);
        var y = frame.Write<float>(output, width);
        var nan = float.IsNaN(replaced);
        for (var i = 0; i < n; i++)
        {
            var replace = nan ? float.IsNaN(x[i]) : x[i] == replaced;
            y[i] = replace ? imputed[imputed.Length == 1 ? 0 : i % width] : x[i];
        }
    }
}
