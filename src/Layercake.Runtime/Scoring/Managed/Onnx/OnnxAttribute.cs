namespace Layercake.Runtime.Scoring.Managed.Onnx;

/// <summary>One attribute of a node: whichever of its value fields the file set.</summary>
internal sealed record OnnxAttribute(
    string Name, float Float, long Int, string? String, OnnxTensor? Tensor, float[] Floats, long[] Ints, string[] Strings)
{
    public static OnnxAttribute Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var name = "";
        float f = 0;
        long i = 0;
        string? s = null;
        OnnxTensor? tensor = null;
        var floats = new List<float>();
        var ints = new List<long>();
        var strings = new List<string>();
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1: name = reader.ReadString(); break;
                case 2: f = reader.ReadFloat(); break;
                case 3: i = reader.ReadInt64(); break;
                case 4: s = reader.ReadString(); break;
                case 5: tensor = OnnxTensor.Read(reader.ReadBytes()); break;
                case 7: reader.ReadFloats(wire, floats); break;
                case 8: reader.ReadInt64s(wire, ints); break;
                case 9: strings.Add(reader.ReadString()); break;
                default: reader.Skip(wire); break;
            }
        }

        return new OnnxAttribute(name, f, i, s, tensor, [.. floats], [.. ints], [.. strings]);
    }
}
