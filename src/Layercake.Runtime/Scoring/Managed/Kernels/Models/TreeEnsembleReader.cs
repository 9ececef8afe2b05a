using Layercake.Runtime.Scoring.Managed.Onnx;

namespace Layercake.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>
/// Reads a tree ensemble node's attributes into a <see cref="TreeEnsemble"/>: node ids resolved to indexes once, branches
/// numbered depth-first tree by tree (a parent's true child right after it), then the leaves.
/// </summary>
internal static class TreeEnsembleReader
{
    private const byte Leaf = 255;

    /// <param name="prefix">"target" for a regressor's weights, "class" for a classifier's.</param>
    public static TreeEnsemble Read(OnnxNode node, string prefix)
    {
        var treeIds = node.Ints("nodes_treeids");
        var nodeIds = node.Ints("nodes_nodeids");
        var modes = node.Strings("nodes_modes").Select(m => Mode(node, m)).ToArray();
        var count = treeIds.Length;
        var features = node.Ints("nodes_featureids");
        var values = node.Floats("nodes_values");
        if (nodeIds.Length != count || modes.Length != count || features.Length != count || (values.Length != count && values.Length != 0))
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
        int Child(long[] ids, int i) => index.TryGetValue((treeIds[i], ids[i]), out var child)
            ? child : throw node.Unsupported($"node {nodeIds[i]} of tree {treeIds[i]} has a missing child");

        // ONNX Runtime starts each tree at its lowest node id.
        var roots = Enumerable.Range(0, count).GroupBy(i => treeIds[i]).OrderBy(g => g.Key)
            .Select(g => g.MinBy(i => nodeIds[i])).ToArray();
        var order = new Numbering(count, modes);
        foreach (var root in roots)
        {
            order.Visit(root, i => Child(trueIds, i), i => Child(falseIds, i));
        }

        var (nodes, branchModes, missingTrue) = Flatten(node, order, modes, i => Child(trueIds, i), i => Child(falseIds, i));
        var branches = order.Branches.Count;
        var weights = LeafWeights(node, prefix, index, order);
        return new TreeEnsemble
        {
            Roots = [.. roots.Select(order.At)],
            Nodes = nodes,
            BranchCount = branches,
            Modes = branchModes,
            MissingTracksTrue = missingTrue,
            WeightStart = weights.Start,
            WeightCount = weights.Count,
            WeightTargets = weights.Targets,
            Weights = weights.Values,
            LeafValues = [.. weights.Start.Select((s, l) => weights.Count[l] == 0 ? 0f : weights.Values[s])],
            MaxFeature = branches == 0 ? -1 : nodes.Take(branches).Max(n => n.Feature),
            AllLessOrEqual = branchModes.All(m => m == 0) && !missingTrue.Contains(true),
        };
    }

    /// <summary>The branches in their new order, then the leaves (each pointing to itself), with each branch's mode.</summary>
    private static (TreeNode[] Nodes, byte[] Modes, bool[] MissingTracksTrue) Flatten(
        OnnxNode node, Numbering order, byte[] modes, Func<int, int> trueChild, Func<int, int> falseChild)
    {
        var features = node.Ints("nodes_featureids");
        var values = node.Floats("nodes_values");
        var missing = node.Ints("nodes_missing_value_tracks_true");
        var branches = order.Branches.Count;
        var nodes = new TreeNode[branches + order.Leaves.Count];
        var branchModes = new byte[branches];
        var missingTrue = new bool[branches];
        for (var b = 0; b < branches; b++)
        {
            var i = order.Branches[b];
            nodes[b] = new TreeNode((int)features[i], values.Length == 0 ? 0f : values[i], order.At(trueChild(i)), order.At(falseChild(i)));
            branchModes[b] = modes[i];
            missingTrue[b] = i < missing.Length && missing[i] != 0;
        }

        for (var l = branches; l < nodes.Length; l++)
        {
            nodes[l] = TreeNode.LeafAt(l);
        }

        return (nodes, branchModes, missingTrue);
    }

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
        OnnxNode node, string prefix, Dictionary<(long Tree, long Node), int> index, Numbering order)
    {
        var trees = node.Ints(prefix + "_treeids");
        var nodes = node.Ints(prefix + "_nodeids");
        var ids = node.Ints(prefix + "_ids");
        var values = node.Floats(prefix + "_weights");
        if (nodes.Length != trees.Length || ids.Length != trees.Length || values.Length != trees.Length)
        {
            throw node.Unsupported($"its {prefix} weight attributes differ in length");
        }

        var perLeaf = new List<(int Target, float Weight)>?[order.Leaves.Count];
        for (var i = 0; i < trees.Length; i++)
        {
            if (!index.TryGetValue((trees[i], nodes[i]), out var at) || order.Ref(at) is >= 0 or int.MinValue)
            {
                throw node.Unsupported($"a weight names node {nodes[i]} of tree {trees[i]}, which is not a leaf reached from a root");
            }

            (perLeaf[~order.Ref(at)] ??= []).Add(((int)ids[i], values[i]));
        }

        var start = new int[perLeaf.Length];
        var lengths = new int[perLeaf.Length];
        var targets = new List<int>();
        var weights = new List<float>();
        for (var l = 0; l < perLeaf.Length; l++)
        {
            start[l] = weights.Count;
            foreach (var (target, weight) in perLeaf[l] ?? [])
            {
                targets.Add(target);
                weights.Add(weight);
            }

            lengths[l] = weights.Count - start[l];
        }

        return (start, lengths, [.. targets], [.. weights]);
    }

    /// <summary>The new numbers of the nodes reached from the roots: branches and leaves each in depth-first order.</summary>
    private sealed class Numbering(int count, byte[] modes)
    {
        private readonly int[] _refs = Enumerable.Repeat(int.MinValue, count).ToArray();

        public List<int> Branches { get; } = [];
        public List<int> Leaves { get; } = [];

        /// <summary>A branch's index, or the complement of a leaf's; unreached nodes are int.MinValue.</summary>
        public int Ref(int original) => _refs[original];

        /// <summary>The node's index in the flattened array, once every tree is visited: leaves follow the branches.</summary>
        public int At(int original) => _refs[original] is var r && r >= 0 ? r : Branches.Count + ~r;

        public void Visit(int root, Func<int, int> trueChild, Func<int, int> falseChild)
        {
            var stack = new Stack<int>();
            stack.Push(root);
            while (stack.TryPop(out var i))
            {
                if (_refs[i] != int.MinValue)
                {
                    continue;
                }

                if (modes[i] == Leaf)
                {
                    _refs[i] = ~Leaves.Count;
                    Leaves.Add(i);
                    continue;
                }

                _refs[i] = Branches.Count;
                Branches.Add(i);
                stack.Push(falseChild(i));
                stack.Push(trueChild(i));
            }
        }
    }
}
