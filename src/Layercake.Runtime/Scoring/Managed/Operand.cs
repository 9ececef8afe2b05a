namespace Layercake.Runtime.Scoring.Managed;

/// <summary>
/// An input of a node: a value computed per call (a frame slot) or a constant of the graph (an initializer), whose
/// elements are the same for every row. A numeric constant is held both as floats and as integers.
/// </summary>
internal sealed record Operand(string Name, ValueKind Kind, int Slot, float[]? ConstantFloats, long[]? ConstantInts)
{
    public bool IsConstant => ConstantFloats is not null;

    /// <summary>Elements per row: a constant's length, or the slot's width in this call.</summary>
    public int Width(Frame frame) => ConstantFloats?.Length ?? frame.Width(Slot);

    public float[] Floats(Frame frame) => ConstantFloats ?? frame.Read<float>(Slot);

    public long[] Ints(Frame frame) => ConstantInts ?? frame.Read<long>(Slot);
}
