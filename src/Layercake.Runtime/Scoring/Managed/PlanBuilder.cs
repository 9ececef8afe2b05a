using Layercake.Runtime.Scoring.Managed.Onnx;

namespace Layercake.Runtime.Scoring.Managed;

/// <summary>
/// Resolves the names a node reads and writes to frame slots or constants while the plan is built, and records how each
/// value is held (<see cref="ValueKind"/>).
/// </summary>
internal sealed class PlanBuilder(IReadOnlyDictionary<string, OnnxTensor> constants)
{
    private readonly Dictionary<string, Operand> _values = new(StringComparer.Ordinal);

    public int SlotCount { get; private set; }

    /// <summary>
    /// A node reshapes across rows (ML.NET's text export flattens the batch), so the graph is evaluated one row at a time,
    /// as ONNX Runtime is fed for such models.
    /// </summary>
    public bool RowByRow { get; set; }

    public static ValueKind KindOf(OnnxElementType type) => type switch
    {
        OnnxElementType.Float or OnnxElementType.Double or OnnxElementType.Float16 => ValueKind.Float,
        OnnxElementType.String => ValueKind.String,
        OnnxElementType.Undefined => throw new UnsupportedOnnxException("a value has no element type"),
        _ => ValueKind.Int,
    };

    public Operand Define(string name, ValueKind kind)
    {
        var operand = new Operand(name, kind, SlotCount++, null, null);
        _values[name] = operand;
        return operand;
    }

    /// <summary>The node's input at <paramref name="index"/>: a value computed before it, or a constant.</summary>
    public Operand Input(OnnxNode node, int index)
    {
        if (index >= node.Inputs.Length || node.Inputs[index] == "")
        {
            throw node.Unsupported($"input {index} is missing");
        }

        var name = node.Inputs[index];
        if (_values.TryGetValue(name, out var operand))
        {
            return operand;
        }

        if (constants.TryGetValue(name, out var tensor))
        {
            var constant = Constant(tensor);
            _values[name] = constant;
            return constant;
        }

        throw node.Unsupported($"input '{name}' is neither computed before the node nor a constant");
    }

    /// <summary>The node's input at <paramref name="index"/> as a constant, or null when it is computed or absent.</summary>
    public OnnxTensor? ConstantInput(OnnxNode node, int index) =>
        index < node.Inputs.Length ? constants.GetValueOrDefault(node.Inputs[index]) : null;

    public Operand Output(OnnxNode node, int index, ValueKind kind) => Define(node.Outputs[index], kind);

    /// <summary>The node's output is its input with another shape but the same elements per row: the same slot.</summary>
    public void Alias(OnnxNode node, Operand input) => _values[node.Outputs[0]] = input with { Name = node.Outputs[0] };

    public Operand? Find(string name) => _values.GetValueOrDefault(name);

    private static Operand Constant(OnnxTensor tensor) => tensor.Type switch
    {
        OnnxElementType.String => throw new UnsupportedOnnxException($"constant '{tensor.Name}' is a string tensor fed to a node"),
        OnnxElementType.Float or OnnxElementType.Double => new Operand(tensor.Name, ValueKind.Float, -1, tensor.Floats,
            [.. tensor.Floats.Select(f => (long)f)]),
        _ => new Operand(tensor.Name, ValueKind.Int, -1, [.. tensor.Int64s.Select(i => (float)i)], tensor.Int64s),
    };
}
