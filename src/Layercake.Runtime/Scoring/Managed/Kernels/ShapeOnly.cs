using Layercake.Runtime.Scoring.Managed.Onnx;

namespace Layercake.Runtime.Scoring.Managed.Kernels;

/// <summary>
/// Reshape, Unsqueeze, Squeeze, Flatten and Identity change a value's shape but not its elements: the output is the input's
/// slot under another name, and costs nothing. One that moves elements across rows (a shape whose first dimension is not
/// the batch, an axis 0) makes the whole graph evaluate a row at a time, where every such shape is the same elements.
/// </summary>
internal static class ShapeOnly
{
    public static Kernel? Plan(OnnxNode node, PlanBuilder plan)
    {
        var input = plan.Input(node, 0);
        if (MovesRows(node, plan))
        {
            plan.RowByRow = true;
        }

        plan.Alias(node, input);
        return null;
    }

    private static bool MovesRows(OnnxNode node, PlanBuilder plan)
    {
        switch (node.OpType)
        {
            case "Reshape":
                var shape = plan.ConstantInput(node, 1) ?? throw node.Unsupported("a shape computed by the graph");
                var dims = shape.Int64s;
                return dims.Length == 0 || dims[0] is not (-1 or 0) || dims.Skip(1).Contains(-1);
            case "Unsqueeze" or "Squeeze":
                var axes = node.Attribute("axes")?.Ints ?? plan.ConstantInput(node, 1)?.Int64s;
                return axes is null || axes.Contains(0);
            case "Flatten":
                return node.Int("axis", 1) != 1;
            default:
                return false;
        }
    }
}
