namespace Layercake.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// ai.onnx.ml.TreeEnsembleClassifier as ONNX Runtime computes it on one thread (tree_ensemble_aggregator.h): each
/// class's leaf weights summed in tree order, then, with more than two classes, the base values added and the label
/// the first class of the highest score among the classes that have one; with two, ONNX Runtime's own rules for one
/// weighted class or two (<see cref="TreeBinaryScores"/>); then the post transform over the scores.
/// </summary>
internal sealed class TreeEnsembleClassifierKernel(
    Operand input, int labelSlot, int scoreSlot, TreeEnsemble trees, float[] baseValues, long[]? intLabels, string[]? stringLabels,
        string transform)
    : Kernel
{
    [ThreadStatic] private static float[]? _cast;
    private readonly int _classes = stringLabels?.Length ?? intLabels!.Length;
    private readonly TreeBinaryScores _binary = new(trees, stringLabels?.Length ?? intLabels!.Length);

    public override void Run(Frame frame)
    {
        var features = input.Width(frame);
        trees.CheckWidth(features, "TreeEnsembleClassifier");
        var x = LinearKernel.FloatInput(input, frame, ref _cast);
        var scores = frame.Write<float>(scoreSlot, _classes);
        var strings = stringLabels is null ? null : frame.Write<string>(labelSlot, 1);
        var ints = stringLabels is null ? frame.Write<long>(labelSlot, 1) : null;
        Span<float> sums = _classes <= 64 ? stackalloc float[_classes] : new float[_classes];
        Span<bool> seen = _classes <= 64 ? stackalloc bool[_classes] : new bool[_classes];
        for (var r = 0; r < frame.Rows; r++)
        {
            Sum(x.AsSpan(r * features, features), sums, seen);
            var row = scores.AsSpan(r * _classes, _classes);
            // A label's index, or the complement (~) of a label value ONNX Runtime gives as such (0 or 1).
            var best = _classes > 2 ? Multiclass(sums, seen, row) : _binary.Finish(sums, seen, baseValues, transform, row);
            if (strings is not null)
            {
                strings[r] = stringLabels![best < 0 ? ~best : best];
            }
            else
            {
                ints![r] = best < 0 ? ~best : intLabels![best];
            }
        }
    }

    private void Sum(ReadOnlySpan<float> row, Span<float> sums, Span<bool> seen)
    {
        sums.Clear();
        seen.Clear();
        foreach (var root in trees.Roots)
        {
            var leaf = trees.Evaluate(root, row);
            var start = trees.WeightStart[leaf];
            for (var w = start; w < start + trees.WeightCount[leaf]; w++)
            {
                var target = trees.WeightTargets[w];
                sums[target] += trees.Weights[w];
                seen[target] = true;
            }
        }
    }

    /// <summary>The base values added, the label's index, and the transformed scores written.</summary>
    private int Multiclass(Span<float> sums, Span<bool> seen, Span<float> row)
    {
        for (var k = 0; k < baseValues.Length && k < sums.Length; k++)
        {
            sums[k] += baseValues[k];
            seen[k] = true;
        }

        var best = -1;
        for (var k = 0; k < sums.Length; k++)
        {
            if (seen[k] && (best == -1 || sums[k] > sums[best]))
            {
                best = k;
            }
        }

        for (var k = 0; k < sums.Length; k++)
        {
            row[k] = seen[k] ? sums[k] : 0f;
        }

        ScoreTransforms.Apply(transform, row);
        return Math.Max(best, 0);
    }
}
