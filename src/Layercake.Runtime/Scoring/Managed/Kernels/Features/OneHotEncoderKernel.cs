namespace Layercake.Runtime.Scoring.Managed.Kernels.Features;

/// <summary>
/// ai.onnx.ml.OneHotEncoder: [rows, C] categories to [rows, C, K] indicators. An unknown category is all zeros with
/// zeros=1 and an error otherwise, as in ONNX Runtime.
/// </summary>
internal sealed class OneHotEncoderKernel(Operand input, int output, Dictionary<long, int>? ints, Dictionary<string, int>? strings,
    bool zeros)
    : Kernel
{
    private readonly int _categories = ints?.Count ?? strings!.Count;

    public override void Run(Frame frame)
    {
        var width = input.Width(frame);
        var n = frame.Rows * width;
        var y = frame.Write<float>(output, width * _categories);
        Array.Clear(y, 0, n * _categories);
        for (var i = 0; i < n; i++)
        {
            var found = Index(frame, i, out var category);
            if (found)
            {
                y[(i * _categories) + category] = 1f;
            }
            else if (!zeros)
            {
                throw new InvalidDataException("OneHotEncoder: an unknown category and zeros = 0.");
            }
        }
    }

    private bool Index(Frame frame, int i, out int category)
    {
        if (strings is not null)
        {
            return strings.TryGetValue(frame.Read<string>(input.Slot)[i], out category);
        }

        var key = input.Kind == ValueKind.Float ? (long)input.Floats(frame)[i] : input.Ints(frame)[i];
        return ints!.TryGetValue(key, out category);
    }
}
