namespace Layercake.Runtime.Scoring.Managed.Kernels.Arithmetic;

/// <summary>
/// An element-wise operator of two inputs (Add, Sub, Mul, Div, the comparisons) with the broadcasting ML.NET's exports
/// use: equal widths, or one side one element per row or a constant. Integers stay integers when both sides are.
/// </summary>
internal sealed class BinaryKernel(string op, Operand a, Operand b, int output, ValueKind kind) : Kernel
{
    public override void Run(Frame frame)
    {
        var wa = a.Width(frame);
        var wb = b.Width(frame);
        var width = Math.Max(wa, wb);
        if ((wa != width && wa != 1) || (wb != width && wb != 1))
        {
            throw new InvalidDataException($"{op}: widths {wa} and {wb} do not broadcast.");
        }

        var n = frame.Rows * width;
        if (kind == ValueKind.Int)
        {
            RunInts(frame, a.Ints(frame), b.Ints(frame), wa, wb, width, n);
            return;
        }

        var x = a.Floats(frame);
        var y = b.Floats(frame);
        var z = frame.Write<float>(output, width);
        for (var i = 0; i < n; i++)
        {
            z[i] = Apply(x[Index(a, i, wa, width)], y[Index(b, i, wb, width)]);
        }
    }

    private void RunInts(Frame frame, long[] x, long[] y, int wa, int wb, int width, int n)
    {
        var z = frame.Write<long>(output, width);
        for (var i = 0; i < n; i++)
        {
            var l = x[Index(a, i, wa, width)];
            var r = y[Index(b, i, wb, width)];
            z[i] = op switch
            {
                "Add" => l + r,
                "Sub" => l - r,
                "Mul" => l * r,
                "Div" => l / r,
                _ => Compare(l, r) ? 1 : 0,
            };
        }
    }

    private static int Index(Operand operand, int i, int width, int outWidth) =>
        operand.IsConstant ? (width == 1 ? 0 : i % outWidth) : width == 1 ? i / outWidth : i;

    private float Apply(float l, float r) => op switch
    {
        "Add" => l + r,
        "Sub" => l - r,
        "Mul" => l * r,
        "Div" => l / r,
        _ => Compare(l, r) ? 1 : 0,
    };

    private bool Compare<T>(T l, T r) where T : IComparable<T> => op switch
    {
        "Greater" => l.CompareTo(r) > 0,
        "Less" => l.CompareTo(r) < 0,
        "GreaterOrEqual" => l.CompareTo(r) >= 0,
        "LessOrEqual" => l.CompareTo(r) <= 0,
        _ => l.CompareTo(r) == 0,
    };
}
