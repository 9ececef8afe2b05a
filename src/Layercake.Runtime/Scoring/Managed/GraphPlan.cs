using Layercake.Runtime.Scoring.Managed.Kernels;
using Layercake.Runtime.Scoring.Managed.Onnx;

namespace Layercake.Runtime.Scoring.Managed;

/// <summary>
/// A graph compiled for interpretation: the kernels of the nodes the asked-for outputs depend on, in order, the inputs
/// to feed and the slots to read. Built once per scorer.
/// </summary>
internal sealed record GraphPlan(
    IReadOnlyList<Kernel> Kernels, IReadOnlyList<Operand> Inputs, IReadOnlyList<Operand> Outputs, int SlotCount, bool RowByRow)
{
    public static GraphPlan Compile(OnnxGraph graph, IReadOnlyList<string> outputs)
    {
        var needed = new HashSet<string>(outputs, StringComparer.Ordinal);
        var kept = new List<OnnxNode>();
        for (var i = graph.Nodes.Count - 1; i >= 0; i--)
        {
            var node = graph.Nodes[i];
            if (node.Outputs.Any(needed.Contains))
            {
                kept.Add(node);
                needed.UnionWith(node.Inputs.Where(n => n != ""));
            }
        }

        kept.Reverse();
        var plan = new PlanBuilder(graph.Initializers);
        var inputs = new List<Operand>();
        foreach (var input in graph.Inputs.Where(i => needed.Contains(i.Name)))
        {
            if (input.Dims.Length > 2 || (input.Dims.Length == 2 && input.Dims[1] is not (1 or -1)))
            {
                throw new UnsupportedOnnxException(
                    $"input '{input.Name}' has shape [{string.Join(", ", input.Dims)}], not one value per row");
            }

            inputs.Add(plan.Define(input.Name, PlanBuilder.KindOf(input.Type)));
        }

        var kernels = new List<Kernel>();
        foreach (var node in kept)
        {
            if (KernelPlanner.Plan(node, plan) is { } kernel)
            {
                kernels.Add(kernel);
            }
        }

        var results = outputs.Select(o => plan.Find(o) ?? throw new UnsupportedOnnxException($"output '{o}' is not computed by the graph"))
            .ToArray();
        return new GraphPlan(kernels, inputs, results, plan.SlotCount, plan.RowByRow);
    }

    public void Run(Frame frame)
    {
        foreach (var kernel in Kernels)
        {
            kernel.Run(frame);
        }
    }
}
