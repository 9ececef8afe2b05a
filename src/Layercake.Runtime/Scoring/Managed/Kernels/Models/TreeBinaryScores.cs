namespace Layercake.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// The two-class ending of ONNX Runtime's tree classifier (TreeAggregatorClassifier.FinalizeScores and write_scores in
/// ml_common.h), rule for rule, because it is not what the ONNX spec alone would suggest: with one weighted class
/// ("binary case") the label is decided at 0.5 when every weight is positive and at 0 otherwise, and the second score is
/// made from the first (1 − s, or −s, or both through the logistic); with two base values and a score for the second
/// class, the second score is base₁ + the first class's sum and the first its negation; a class no leaf weighted reads
/// as 0.
/// </summary>
internal sealed class TreeBinaryScores(TreeEnsemble trees, int classes)
{
    private readonly bool _binaryCase = classes == 2 && trees.WeightTargets.Distinct().Count() == 1;
    private readonly bool _allPositive = trees.Weights.All(w => w >= 0);

    /// <summary>Writes the two scores to <paramref name="row"/>; returns the label's index, or ~value for a 0/1 label value.</summary>
    public int Finish(Span<float> sums, Span<bool> seen, float[] baseValues, string transform, Span<float> row)
    {
        var size = 2;
        var add = -1;
        switch (baseValues.Length)
        {
            case 2 when seen[1]:
                sums[1] = baseValues[1] + sums[0];
                sums[0] = -sums[1];
                break;
            case 2:
                sums[1] += baseValues[1];
                sums[0] += baseValues[0];
                break;
            case 1:
                sums[0] += baseValues[0];
                size = seen[1] ? 2 : 1;
                break;
            case 0:
                add = 3;
                size = seen[1] ? 2 : 1;
                break;
        }

        // ONNX Runtime reads a class that no leaf weighted as 0, whatever was added to it.
        for (var k = 0; k < 2; k++)
        {
            sums[k] = seen[k] ? sums[k] : 0f;
        }

        var positive = size == 2 && seen[1] ? sums[1] : sums[0];
        int label;
        if (_binaryCase)
        {
            var above = _allPositive ? positive > 0.5f : positive > 0f;
            add = (_allPositive ? 0 : 2) + (above ? 0 : 1);
            label = above ? 1 : 0;
        }
        else
        {
            label = ~(positive > 0f ? 1 : 0);
        }

        Write(sums[..size], transform, add, row);
        return label;
    }

    private static void Write(Span<float> scores, string transform, int add, Span<float> row)
    {
        if (scores.Length == 2)
        {
            scores.CopyTo(row);
            ScoreTransforms.Apply(transform, row);
            return;
        }

        var s = scores[0];
        switch (add)
        {
            case 0 or 1:
                row[0] = 1f - s;
                row[1] = s;
                break;
            case 2 or 3 when transform == "LOGISTIC":
                row[0] = ScoreTransforms.Logistic(-s);
                row[1] = ScoreTransforms.Logistic(s);
                break;
            case 2 or 3:
                row[0] = -s;
                row[1] = s;
                break;
            default:
                row[0] = s;
                row[1] = 0f;
                break;
        }
    }
}
