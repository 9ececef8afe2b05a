using Layercake.Runtime.Scoring.Managed.Onnx;

namespace Layercake.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// The trees of a TreeEnsembleRegressor, flattened: one array per node field, children as indexes, each leaf's weights
/// as a range of (target, weight) pairs in the order the file lists them, trees in ascending id, the order ONNX Runtime
/// sums them in.
/// </summary>
internal sealed class TreeEnsemble
{
    public const byte Leaf = 255;

    public required int[] Roots { get; init; }
    public required int[] Features { get; init; }
    public required float[] Thresholds { get; init; }
    public required byte[] Modes { get; init; }
    public required int[] True { get; init; }
    public required int[] False { get; init; }
    public required bool[] MissingTracksTrue { get; init; }
    public required int[] WeightStart { get; init; }
    public required int[] WeightCount { get; init; }
    public required int[] WeightTargets { get; init; }
    public required float[] Weights { get; init; }

    public static TreeEnsemble Read(OnnxNode node, string prefix)
    {
        var treeIds = node.Ints("nodes_treeids");
        var nodeIds = node.Ints("nodes_nodeids");
        var modes = node.Strings("nodes_modes");
        var count = treeIds.Length;
        if (nodeIds.Length != count || modes.Length != count)
        {
            throw node.Unsupported("its node attributes differ in length");
        }

        var index = new Dictionary<(long Tree, long Node), int>(count);
        for (var i = 0; i < count; i++)
        {
            index[(treeIds[i], nodeIds[i])] = i;
        }

        var trueIds = node.Ints("nodes_truenodeids");
        var falseIds = node.Ints("nodes_falsenodeids");
        var missing = node.Ints("nodes_missing_value_tracks_true");
        var modeCodes = modes.Select(m => Mode(node, m)).ToArray();
        int Child(long[] ids, int i) => modeCodes[i] == Leaf ? -1
            : index.TryGetValue((treeIds[i], ids[i]), out var child) ? child : throw node.Unsupported($"node {nodeIds[i]} of tree {treeIds[i]} has a missing child");
        var weights = LeafWeights(node, prefix, index, count);
        return new TreeEnsemble
        {
            Roots = [.. treeIds.Select((t, i) => (t, i)).GroupBy(p => p.t).OrderBy(g => g.Key).Select(g => Root(g.Select(p => p.i), nodeIds))],
            Features = [.. node.Ints("nodes_featureids").Select(f => (int)f)],
            Thresholds = node.Floats("nodes_values").Length == count ? node.Floats("nodes_values") : new float[count],
            Modes = modeCodes,
            True = [.. Enumerable.Range(0, count).Select(i => Child(trueIds, i))],
            False = [.. Enumerable.Range(0, count).Select(i => Child(falseIds, i))],
            MissingTracksTrue = [.. Enumerable.Range(0, count).Select(i => i < missing.Length && missing[i] != 0)],
            WeightStart = weights.Start,
            WeightCount = weights.Count,
            WeightTargets = weights.Targets,
            Weights = weights.Values,
        };
    }

    /// <summary>A tree's root: the node no other node of the tree points to; ONNX Runtime takes the tree's node 0.</summary>
    private static int Root(IEnumerable<int> nodes, long[] nodeIds) => nodes.OrderBy(i => nodeIds[i]).First();

    private static byte Mode(OnnxNode node, string mode) => mode switch
    {
        "BRANCH_LEQ" => 0,
        "BRANCH_LT" => 1,
        "BRANCH_GTE" => 2,
        "BRANCH_GT" => 3,
        "BRANCH_EQ" => 4,
        "BRANCH_NEQ" => 5,
        "LEAF" => Leaf,
        _ => throw node.Unsupported($"node mode {mode}"),
    };

    private static (int[] Start, int[] Count, int[] Targets, float[] Values) LeafWeights(
        OnnxNode node, string prefix, Dictionary<(long Tree, long Node), int> index, int count)
    {
        var trees = node.Ints(prefix + "_treeids");
        var nodes = node.Ints(prefix + "_nodeids");
        var ids = node.Ints(prefix + "_ids");
        var values = node.Floats(prefix + "_weights");
        var perNode = new List<(int Target, float Weight)>?[count];
        for (var i = 0; i < trees.Length; i++)
        {
            if (!index.TryGetValue((trees[i], nodes[i]), out var at))
            {
                throw node.Unsupported($"a weight names node {nodes[i]} of tree {trees[i]}, which does not exist");
            }

            (perNode[at] ??= []).Add(((int)ids[i], values[i]));
        }

        var start = new int[count];
        var lengths = new int[count];
        var targets = new List<int>();
        var weights = new List<float>();
        for (var i = 0; i < count; i++)
        {
            start[i] = weights.Count;
            foreach (var (target, weight) in perNode[i] ?? [])
            {
                targets.Add(target);
                weights.Add(weight);
            }

            lengths[i] = weights.Count - start[i];
        }

        return (start, lengths, [.. targets], [.. weights]);
    }

    /// <summary>
    /// Every branch is x ≤ threshold with no missing value sent to the true side (ML.NET's exports): the walk needs no
    /// mode or NaN test per node.
    /// </summary>
    public bool AllLessOrEqual => _allLessOrEqual ??= Modes.All(m => m is 0 or Leaf) && !MissingTracksTrue.Contains(true);

    private bool? _allLessOrEqual;

    /// <summary>The leaf a row reaches from <paramref name="root"/>.</summary>
    public int Evaluate(int root, ReadOnlySpan<float> row)
    {
        var i = root;
        if (AllLessOrEqual)
        {
            var modes = Modes;
            while (modes[i] != Leaf)
            {
                i = row[Features[i]] <= Thresholds[i] ? True[i] : False[i];
            }

            return i;
        }

        while (Modes[i] != Leaf)
        {
            var x = row[Features[i]];
            var t = Thresholds[i];
            var goesTrue = Modes[i] switch
            {
                0 => x <= t,
                1 => x < t,
                2 => x >= t,
                3 => x > t,
                4 => x == t,
                _ => x != t,
            };
            i = goesTrue || (MissingTracksTrue[i] && float.IsNaN(x)) ? True[i] : False[i];
        }

        return i;
    }
}
