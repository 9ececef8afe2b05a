namespace Layercake.Runtime.Scoring.Managed.Kernels.Arithmetic;

/// <summary>An element-wise operator of one input: Sigmoid, Exp, Log, Abs, Neg, Sqrt, Relu, Floor, Ceil, Not.</summary>
internal sealed class UnaryKernel(string op, Operand input, int output) : Kernel
{
    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        var n = frame.Rows * width;
        if (op == "Not")
        {
            var xi = input.Ints(frame);
            var yi = frame.Write<long>(output, width);
            for (var i = 0; i < n; i++)
            {
                yi[i] = xi[i] == 0 ? 1 : 0;
            }

            return;
        }

        var x = input.Floats(frame);
        var y = frame.Write<float>(output, width);
        for (var i = 0; i < n; i++)
        {
            y[i] = op switch
            {
                "Sigmoid" => 1f / (1f + MathF.Exp(-x[i])),
                "Exp" => MathF.Exp(x[i]),
                "Log" => MathF.Log(x[i]),
                "Abs" => Math.Abs(x[i]),
                "Neg" => -x[i],
                "Sqrt" => MathF.Sqrt(x[i]),
                "Relu" => Math.Max(x[i], 0f),
                "Floor" => MathF.Floor(x[i]),
                _ => MathF.Ceiling(x[i]),
            };
        }
    }
}
