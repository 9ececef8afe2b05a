using System.Globalization;
using System.Text;
using Layercake.Runtime.Scoring.Managed.Kernels.Models;

namespace Layercake.Bench.Codegen;

/// <summary>C# for a tree ensemble: one method of nested ifs per tree, and a sum over the rows adding the trees in order.</summary>
internal static class TreeSource
{
    public static string Ensemble(string name, TreeEnsemble trees)
    {
        var code = new StringBuilder();
        code.AppendLine($"public static unsafe void {name}(float* x, int features, int rows, float* sums) {{");
        code.AppendLine("  for (var r = 0; r < rows; r++) { var row = x + (r * features); float s = 0f;");
        for (var t = 0; t < trees.Roots.Length; t++)
        {
            code.AppendLine($"    s += {name}_{t}(row);");
        }

        code.AppendLine("    sums[r] = s; } }");
        for (var t = 0; t < trees.Roots.Length; t++)
        {
            code.AppendLine($"private static unsafe float {name}_{t}(float* x) {{");
            Node(code, trees, trees.Roots[t], 1);
            code.AppendLine("}");
        }

        return code.ToString();
    }

    private static void Node(StringBuilder code, TreeEnsemble trees, int i, int depth)
    {
        var pad = new string(' ', depth * 2);
        if (i >= trees.BranchCount)
        {
            code.AppendLine($"{pad}return {Float(trees.LeafValues[i - trees.BranchCount])};");
            return;
        }

        var node = trees.Nodes[i];
        code.AppendLine($"{pad}if (x[{node.Feature}] <= {Float(node.Threshold)}) {{");
        Node(code, trees, node.True, depth + 1);
        code.AppendLine($"{pad}}} else {{");
        Node(code, trees, node.False, depth + 1);
        code.AppendLine($"{pad}}}");
    }

    public static string Float(float value) => float.IsNaN(value) ? "float.NaN"
        : BitConverter.SingleToInt32Bits(value).ToString(CultureInfo.InvariantCulture) is var bits
            ? $"System.BitConverter.Int32BitsToSingle({bits})" : "";
}
