namespace Layercake.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// ai.onnx.ml.TreeEnsembleRegressor, aggregated as ONNX Runtime does on one thread: leaf weights added in float in tree
/// order, the base value added after (SUM and AVERAGE), MIN and MAX over the leaves.
/// </summary>
internal sealed class TreeEnsembleRegressorKernel(Operand input, int output, TreeEnsemble trees, int targets, float[] baseValues,
    string aggregate)
    : Kernel
{
    [ThreadStatic] private static float[]? _cast;
    private readonly bool _oneSummedTarget = targets == 1 && aggregate == "SUM" && trees.OneWeightPerLeaf && trees.AllLessOrEqual;

    public override void Run(Frame frame)
    {
        var features = input.Width(frame);
        trees.CheckWidth(features, "TreeEnsembleRegressor");
        var x = LinearKernel.FloatInput(input, frame, ref _cast);
        var y = frame.Write<float>(output, targets);
        if (_oneSummedTarget)
        {
            TreeSums.SumOneTarget(trees, x, features, frame.Rows, y);
            if (baseValues.Length == 1)
            {
                for (var r = 0; r < frame.Rows; r++)
                {
                    y[r] += baseValues[0];
                }
            }

            return;
        }

        Span<float> scores = targets <= 64 ? stackalloc float[targets] : new float[targets];
        Span<bool> seen = targets <= 64 ? stackalloc bool[targets] : new bool[targets];
        for (var r = 0; r < frame.Rows; r++)
        {
            var row = x.AsSpan(r * features, features);
            scores.Clear();
            seen.Clear();
            foreach (var root in trees.Roots)
            {
                var leaf = trees.Evaluate(root, row);
                for (var w = trees.WeightStart[leaf]; w < trees.WeightStart[leaf] + trees.WeightCount[leaf]; w++)
                {
                    Add(scores, seen, trees.WeightTargets[w], trees.Weights[w]);
                }
            }

            for (var t = 0; t < targets; t++)
            {
                var value = aggregate == "AVERAGE" ? scores[t] / trees.Roots.Length : scores[t];
                y[(r * targets) + t] = baseValues.Length == targets ? value + baseValues[t] : value;
            }
        }
    }

    private void Add(Span<float> scores, Span<bool> seen, int target, float weight)
    {
        switch (aggregate)
        {
            case "MIN":
                scores[target] = seen[target] ? Math.Min(scores[target], weight) : weight;
                break;
            case "MAX":
                scores[target] = seen[target] ? Math.Max(scores[target], weight) : weight;
                break;
            default:
                scores[target] += weight;
                break;
        }

        seen[target] = true;
    }
}
