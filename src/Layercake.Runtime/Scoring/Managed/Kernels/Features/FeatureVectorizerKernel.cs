namespace Layercake.Runtime.Scoring.Managed.Kernels.Features;

/// <summary>ai.onnx.ml.FeatureVectorizer: each row's inputs side by side, each cut or zero-padded to its declared width.</summary>
internal sealed class FeatureVectorizerKernel(Operand[] inputs, int[] dimensions, int output) : Kernel
{
    private readonly int _width = dimensions.Sum();

    public override void Run(Frame frame)
    {
        var y = frame.Write<float>(output, _width);
        Array.Clear(y, 0, frame.Rows * _width);
        var offset = 0;
        for (var k = 0; k < inputs.Length; k++)
        {
            var input = inputs[k];
            var width = input.Width(frame);
            var copied = Math.Min(width, dimensions[k]);
            if (input.Kind == ValueKind.Float)
            {
                var x = input.Floats(frame);
                for (var r = 0; r < frame.Rows; r++)
                {
                    Array.Copy(x, r * width, y, (r * _width) + offset, copied);
                }
            }
            else
            {
                var x = input.Ints(frame);
                for (var r = 0; r < frame.Rows; r++)
                {
                    for (var c = 0; c < copied; c++)
                    {
                        y[(r * _width) + offset + c] = x[(r * width) + c];
                    }
                }
            }

            offset += dimensions[k];
        }
    }
}
