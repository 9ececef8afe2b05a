namespace Layercake.Runtime.Scoring.Managed.Kernels.Arithmetic;

/// <summary>ArgMax along the last axis of [rows, width]: the first (or with select_last_index, the last) highest per row.</summary>
internal sealed class ArgMaxKernel(Operand input, int output, bool last) : Kernel
{
    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        var x = input.Floats(frame);
        var y = frame.Write<long>(output, 1);
        for (var r = 0; r < frame.Rows; r++)
        {
            var best = 0;
            for (var c = 1; c < width; c++)
            {
                var value = x[(r * width) + c];
                var top = x[(r * width) + best];
                if (value > top || (last && value == top))
                {
                    best = c;
                }
            }

            y[r] = best;
        }
    }
}
