namespace Layercake.Tests.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// A hand-built graph: inputs a and b (float [N, 1]) → FeatureVectorizer → TreeEnsembleClassifier → label Y and scores Z.
/// Three trees over the two features: a ≤ 0.5 / b ≤ 0.2 branches (tree 0 sends a missing a to the true side), tree 1
/// with a &lt; and a &gt; branch, tree 2 a single leaf. Each leaf weighs the classes <paramref name="weights"/> gives it.
/// </summary>
internal static class TreeClassifierGraph
{
    /// <summary>The leaves in order (tree, node): (0,2) (0,3) (0,4) (1,1) (1,3) (1,4) (2,0).</summary>
    public static readonly (long Tree, long Node)[] Leaves = [(0, 2), (0, 3), (0, 4), (1, 1), (1, 3), (1, 4), (2, 0)];

    public static byte[] Build(
        string[]? stringLabels, long[]? intLabels, string transform, float[] baseValues, Func<int, (long Class, float Weight)[]> weights)
    {
        long[] trees = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2];
        long[] nodes = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0];
        string[] modes = ["BRANCH_LEQ", "BRANCH_LEQ", "LEAF", "LEAF", "LEAF", "BRANCH_LT", "LEAF", "BRANCH_GT", "LEAF", "LEAF", "LEAF"];
        long[] features = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0];
        float[] values = [0.5f, 0.2f, 0, 0, 0, -0.3f, 0, 0.8f, 0, 0, 0];
        long[] trueIds = [1, 2, 0, 0, 0, 1, 0, 3, 0, 0, 0];
        long[] falseIds = [4, 3, 0, 0, 0, 2, 0, 4, 0, 0, 0];
        long[] missing = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var leafWeights = Leaves.SelectMany((leaf, i) => weights(i).Select(w => (leaf.Tree, leaf.Node, w.Class, w.Weight))).ToArray();
        var attributes = new List<byte[]>
        {
            OnnxProto.Ints("nodes_treeids", trees), OnnxProto.Ints("nodes_nodeids", nodes), OnnxProto.Strings("nodes_modes", modes),
            OnnxProto.Ints("nodes_featureids", features), OnnxProto.Floats("nodes_values", values),
            OnnxProto.Ints("nodes_truenodeids", trueIds), OnnxProto.Ints("nodes_falsenodeids", falseIds),
            OnnxProto.Ints("nodes_missing_value_tracks_true", missing), OnnxProto.String("post_transform", transform),
            OnnxProto.Ints("class_treeids", leafWeights.Select(w => w.Tree)), OnnxProto.Ints("class_nodeids", leafWeights.Select(w => w.Node)),
            OnnxProto.Ints("class_ids", leafWeights.Select(w => w.Class)), OnnxProto.Floats("class_weights", leafWeights.Select(w => w.Weight)),
            stringLabels is null ? OnnxProto.Ints("classlabels_int64s", intLabels!) : OnnxProto.Strings("classlabels_strings", stringLabels),
        };
        if (baseValues.Length > 0)
        {
            attributes.Add(OnnxProto.Floats("base_values", baseValues));
        }

        var classes = stringLabels?.Length ?? intLabels!.Length;
        var graph = OnnxProto.Graph("trees",
            [
                OnnxProto.Node("FeatureVectorizer", "ai.onnx.ml", ["a", "b"], ["X"], OnnxProto.Ints("inputdimensions", [1, 1])),
                OnnxProto.Node("TreeEnsembleClassifier", "ai.onnx.ml", ["X"], ["Y", "Z"], [.. attributes]),
            ],
            [OnnxProto.Value("a", OnnxProto.FloatType, 1), OnnxProto.Value("b", OnnxProto.FloatType, 1)],
            [OnnxProto.Value("Y", stringLabels is null ? OnnxProto.Int64Type : OnnxProto.StringType, null), OnnxProto.Value("Z", OnnxProto.FloatType, classes)]);
        return OnnxProto.Model(graph);
    }
}
