using Layercake.Runtime.Scoring.Managed.Kernels.Features;
using Layercake.Runtime.Scoring.Managed.Onnx;

namespace Layercake.Runtime.Scoring.Managed.Kernels;

/// <summary>Plans a LabelEncoder (opset 2): the key and value attributes that are set decide the kinds in and out.</summary>
internal static class LabelEncoderPlanner
{
    public static Kernel Plan(OnnxNode node, PlanBuilder plan)
    {
        var input = plan.Input(node, 0);
        var keys = node.Attribute("keys_strings") is { Strings.Length: > 0 } ? ValueKind.String
            : node.Attribute("keys_int64s") is { Ints.Length: > 0 } ? ValueKind.Int
            : node.Attribute("keys_floats") is { Floats.Length: > 0 } ? ValueKind.Float
            : throw node.Unsupported("no keys");
        var values = node.Attribute("values_strings") is { Strings.Length: > 0 } ? ValueKind.String
            : node.Attribute("values_int64s") is { Ints.Length: > 0 } ? ValueKind.Int
            : node.Attribute("values_floats") is { Floats.Length: > 0 } ? ValueKind.Float
            : throw node.Unsupported("no values");
        if (keys != input.Kind || input.IsConstant)
        {
            throw node.Unsupported($"its keys are {keys} but its input is {input.Kind}");
        }

        var output = plan.Output(node, 0, values).Slot;
        return (keys, values) switch
        {
            (ValueKind.String, ValueKind.Int) =>
                Make(input, output, node.Strings("keys_strings"), node.Ints("values_int64s"), node.Int("default_int64", -1)),
            (ValueKind.String, ValueKind.Float) =>
                Make(input, output, node.Strings("keys_strings"), node.Floats("values_floats"), node.Float("default_float", -0f)),
            (ValueKind.String, _) =>
                Make(input, output, node.Strings("keys_strings"), node.Strings("values_strings"), node.String("default_string", "_Unused")),
            (ValueKind.Int, ValueKind.Int) =>
                Make(input, output, node.Ints("keys_int64s"), node.Ints("values_int64s"), node.Int("default_int64", -1)),
            (ValueKind.Int, ValueKind.Float) =>
                Make(input, output, node.Ints("keys_int64s"), node.Floats("values_floats"), node.Float("default_float", -0f)),
            (ValueKind.Int, _) =>
                Make(input, output, node.Ints("keys_int64s"), node.Strings("values_strings"), node.String("default_string", "_Unused")),
            (_, ValueKind.Int) =>
                Make(input, output, node.Floats("keys_floats"), node.Ints("values_int64s"), node.Int("default_int64", -1)),
            (_, ValueKind.Float) =>
                Make(input, output, node.Floats("keys_floats"), node.Floats("values_floats"), node.Float("default_float", -0f)),
            _ => Make(input, output, node.Floats("keys_floats"), node.Strings("values_strings"), node.String("default_string", "_Unused")),
        };
    }

    private static LabelEncoderKernel<TIn, TOut> Make<TIn, TOut>(Operand input, int output, TIn[] keys, TOut[] values, TOut fallback)
        where TIn : notnull
    {
        if (keys.Length != values.Length)
        {
            throw new UnsupportedOnnxException($"LabelEncoder '{input.Name}': {keys.Length} keys but {values.Length} values");
        }

        var map = new Dictionary<TIn, TOut>(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            map.TryAdd(keys[i], values[i]);
        }

        return new LabelEncoderKernel<TIn, TOut>(input, output, map, fallback);
    }
}
