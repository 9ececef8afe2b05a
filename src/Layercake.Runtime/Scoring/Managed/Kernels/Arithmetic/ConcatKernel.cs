namespace Layercake.Runtime.Scoring.Managed.Kernels.Arithmetic;

/// <summary>Concat along the last axis of [rows, width] values: each row's inputs side by side.</summary>
internal sealed class ConcatKernel(Operand[] inputs, int output, ValueKind kind) : Kernel
{
    public override void Run(Frame frame)
    {
        var width = 0;
        foreach (var input in inputs)
        {
            width += input.Width(frame);
        }

        switch (kind)
        {
            case ValueKind.Float: Copy(frame, frame.Write<float>(output, width), width, (o, f) => o.Floats(f)); break;
            case ValueKind.Int: Copy(frame, frame.Write<long>(output, width), width, (o, f) => o.Ints(f)); break;
            default: Copy(frame, frame.Write<string>(output, width), width, (o, f) => f.Read<string>(o.Slot)); break;
        }
    }

    private void Copy<T>(Frame frame, T[] y, int width, Func<Operand, Frame, T[]> read)
    {
        var offset = 0;
        foreach (var input in inputs)
        {
            var w = input.Width(frame);
            var x = read(input, frame);
            for (var r = 0; r < frame.Rows; r++)
            {
                Array.Copy(x, input.IsConstant ? 0 : r * w, y, (r * width) + offset, w);
            }

            offset += w;
        }
    }
}
