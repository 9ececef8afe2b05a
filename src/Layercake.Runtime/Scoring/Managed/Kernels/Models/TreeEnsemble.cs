using System.Runtime.CompilerServices;

namespace Layercake.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// The trees of a TreeEnsembleRegressor or TreeEnsembleClassifier, flattened (<see cref="TreeEnsembleReader"/>): the
/// branches of every tree first, each tree's depth-first, so a walk stays in a few cache lines, then the leaves, node
/// <see cref="BranchCount"/> + k being leaf k, whose weights are a range of (target, weight) pairs in the order the file
/// lists them. Trees are in ascending id, the order ONNX Runtime sums them in.
/// </summary>
internal sealed class TreeEnsemble
{
    public required int[] Roots { get; init; }
    public required TreeNode[] Nodes { get; init; }
    public required int BranchCount { get; init; }

    /// <summary>Per branch: the comparison (0 ≤, 1 &lt;, 2 ≥, 3 &gt;, 4 =, 5 ≠) and whether a missing value goes true.</summary>
    public required byte[] Modes { get; init; }
    public required bool[] MissingTracksTrue { get; init; }

    /// <summary>Per leaf: where its weights start and how many.</summary>
    public required int[] WeightStart { get; init; }
    public required int[] WeightCount { get; init; }
    public required int[] WeightTargets { get; init; }
    public required float[] Weights { get; init; }

    /// <summary>Per leaf: its one weight (0 when it has none), for the walk that sums one target.</summary>
    public required float[] LeafValues { get; init; }

    /// <summary>The largest feature index a branch reads: a row narrower than this is refused before any walk.</summary>
    public required int MaxFeature { get; init; }

    /// <summary>
    /// Every branch is x ≤ threshold with no missing value sent to the true side (ML.NET's exports): the walk needs no
    /// mode or NaN test per node (a NaN compares false and goes to the false side, as ONNX Runtime sends it).
    /// </summary>
    public required bool AllLessOrEqual { get; init; }

    /// <summary>Every leaf has at most one weight.</summary>
    public bool OneWeightPerLeaf => WeightCount.All(c => c <= 1);

    /// <summary>One step of an x ≤ t walk: the child a row goes to, or the same leaf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Step(ref TreeNode nodes, int i, ref float row)
    {
        ref readonly var node = ref Unsafe.Add(ref nodes, i);
        return Unsafe.Add(ref Unsafe.AsRef(in node.True), Unsafe.Add(ref row, node.Feature) <= node.Threshold ? 0 : 1);
    }

    /// <summary>The leaf (its index among the leaves) a row reaches from <paramref name="root"/>, any mode.</summary>
    public int Evaluate(int root, ReadOnlySpan<float> row)
    {
        var i = root;
        if (AllLessOrEqual)
        {
            while (i < BranchCount)
            {
                i = Step(ref Nodes[0], i, ref Unsafe.AsRef(in row[0]));
            }

            return i - BranchCount;
        }

        while (i < BranchCount)
        {
            var node = Nodes[i];
            var x = row[node.Feature];
            var t = node.Threshold;
            var goesTrue = Modes[i] switch
            {
                0 => x <= t,
                1 => x < t,
                2 => x >= t,
                3 => x > t,
                4 => x == t,
                _ => x != t,
            };
            i = goesTrue || (MissingTracksTrue[i] && float.IsNaN(x)) ? node.True : node.False;
        }

        return i - BranchCount;
    }

    /// <summary>Refuses a row narrower than the features the branches read.</summary>
    public void CheckWidth(int features, string op)
    {
        if (features <= MaxFeature)
        {
            throw new InvalidDataException($"{op}: a branch reads feature {MaxFeature} of rows of {features} features.");
        }
    }
}
