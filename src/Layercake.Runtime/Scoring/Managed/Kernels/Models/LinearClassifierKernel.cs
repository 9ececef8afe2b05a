namespace Layercake.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// ai.onnx.ml.LinearClassifier as ONNX Runtime computes it: the label is the first highest raw score (for one target,
/// the positive class when the score is above 0), then the post transform; one target with two class labels gives two
/// scores, [1 − s, s], with no transform applied to s, which is ONNX Runtime's behaviour.
/// </summary>
internal sealed class LinearClassifierKernel(
    Operand input, int labelSlot, int scoreSlot, float[] coefficients, float[] intercepts, long[]? intLabels, string[]? stringLabels,
        string transform)
    : Kernel
{
    [ThreadStatic] private static float[]? _cast;
    private readonly int _targets = intercepts.Length;
    private readonly bool _secondClass = intercepts.Length == 1 && (stringLabels?.Length ?? intLabels!.Length) == 2;

    public override void Run(Frame frame)
    {
        var features = input.Width(frame);
        if (features * _targets != coefficients.Length)
        {
            throw new InvalidDataException(
                $"LinearClassifier: {coefficients.Length} coefficients for {features} features and {_targets} targets.");
        }

        var x = LinearKernel.FloatInput(input, frame, ref _cast);
        var outWidth = _secondClass ? 2 : _targets;
        var scores = frame.Write<float>(scoreSlot, outWidth);
        LinearKernel.Scores(x, frame.Rows, features, coefficients, intercepts, scores);
        WriteLabels(frame, scores);
        if (_secondClass)
        {
            for (var r = frame.Rows - 1; r >= 0; r--)
            {
                var s = scores[r];
                scores[(2 * r) + 1] = s;
                scores[2 * r] = 1f - s;
            }
        }
        else if (_targets > 1)
        {
            for (var r = 0; r < frame.Rows; r++)
            {
                ScoreTransforms.Apply(transform, scores.AsSpan(r * _targets, _targets));
            }
        }
    }

    private void WriteLabels(Frame frame, float[] scores)
    {
        var strings = stringLabels is null ? null : frame.Write<string>(labelSlot, 1);
        var ints = stringLabels is null ? frame.Write<long>(labelSlot, 1) : null;
        for (var r = 0; r < frame.Rows; r++)
        {
            int best;
            if (_targets == 1)
            {
                best = scores[r] > 0 ? 1 : 0;
                if (strings is not null)
                {
                    strings[r] = stringLabels!.Length == 2 ? stringLabels[best]
                        : best.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                else
                {
                    ints![r] = intLabels!.Length == 2 ? intLabels[best] : best;
                }

                continue;
            }

            best = 0;
            for (var t = 1; t < _targets; t++)
            {
                if (scores[(r * _targets) + t] > scores[(r * _targets) + best])
                {
                    best = t;
                }
            }

            if (strings is not null)
            {
                strings[r] = stringLabels![best];
            }
            else
            {
                ints![r] = intLabels![best];
            }
        }
    }
}
