using Layercake.Runtime.Scoring.Managed.Onnx;

namespace Layercake.Runtime.Scoring.Managed.Kernels.Features;

/// <summary>
/// Cast between numeric types as ONNX Runtime's C++ casts do on x64: integers wrap to the target's width (ML.NET's
/// exports cast an unknown category's -1 to uint32 and back to int64, so it matches no one-hot category), floats
/// truncate toward zero, and a NaN or out-of-range float becomes the integer type's minimum, as cvttss2si gives.
/// </summary>
internal sealed class CastKernel(Operand input, int output, OnnxElementType target) : Kernel
{
    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        var n = frame.Rows * width;
        if (PlanBuilder.KindOf(target) == ValueKind.Float)
        {
            var y = frame.Write<float>(output, width);
            if (input.Kind == ValueKind.Float)
            {
                Array.Copy(input.Floats(frame), y, n);
                return;
            }

            var ints = input.Ints(frame);
            for (var i = 0; i < n; i++)
            {
                y[i] = ints[i];
            }

            return;
        }

        var z = frame.Write<long>(output, width);
        if (input.Kind == ValueKind.Float)
        {
            var floats = input.Floats(frame);
            for (var i = 0; i < n; i++)
            {
                z[i] = FromFloat(floats[i], target);
            }

            return;
        }

        var x = input.Ints(frame);
        for (var i = 0; i < n; i++)
        {
            z[i] = Wrap(x[i], target);
        }
    }

    public static long Wrap(long value, OnnxElementType target) => target switch
    {
        OnnxElementType.Bool => value != 0 ? 1 : 0,
        OnnxElementType.Int8 => (sbyte)value,
        OnnxElementType.UInt8 => (byte)value,
        OnnxElementType.Int16 => (short)value,
        OnnxElementType.UInt16 => (ushort)value,
        OnnxElementType.Int32 => (int)value,
        OnnxElementType.UInt32 => (uint)value,
        _ => value,
    };

    private static long FromFloat(float value, OnnxElementType target)
    {
        if (target == OnnxElementType.Bool)
        {
            return value != 0 ? 1 : 0;
        }

        if (target is OnnxElementType.Int64 or OnnxElementType.UInt64 or OnnxElementType.UInt32)
        {
            var wide = float.IsNaN(value) || value >= 9.223372E+18f || value < -9.223372E+18f ? long.MinValue : (long)value;
            return Wrap(wide, target);
        }

        var narrow = float.IsNaN(value) || value >= 2.1474836E+09f || value < -2.1474836E+09f ? int.MinValue : (int)value;
        return Wrap(narrow, target);
    }
}
