namespace Layercake.Runtime.Scoring.Managed.Kernels.Arithmetic;

/// <summary>Sum, Max, Min and Mean of one or more inputs of equal width, folded left to right as ONNX Runtime does.</summary>
internal sealed class VariadicKernel(string op, Operand[] inputs, int output) : Kernel
{
    public override void Run(Frame frame)
    {
        var width = inputs[0].Width(frame);
        var n = frame.Rows * width;
        var y = frame.Write<float>(output, width);
        Array.Copy(inputs[0].Floats(frame), y, n);
        for (var k = 1; k < inputs.Length; k++)
        {
            if (inputs[k].Width(frame) != width)
            {
                throw new InvalidDataException($"{op}: inputs of widths {width} and {inputs[k].Width(frame)}.");
            }

            var x = inputs[k].Floats(frame);
            for (var i = 0; i < n; i++)
            {
                y[i] = op switch
                {
                    "Max" => Math.Max(y[i], x[i]),
                    "Min" => Math.Min(y[i], x[i]),
                    _ => y[i] + x[i],
                };
            }
        }

        if (op == "Mean")
        {
            for (var i = 0; i < n; i++)
            {
                y[i] /= inputs.Length;
            }
        }
    }
}
