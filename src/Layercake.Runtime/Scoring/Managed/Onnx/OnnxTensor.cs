namespace Layercake.Runtime.Scoring.Managed.Onnx;

/// <summary>A constant tensor of the graph (an initializer or a tensor attribute), its values widened to one of three arrays.</summary>
internal sealed record OnnxTensor(string Name, OnnxElementType Type, long[] Dims, float[] Floats, long[] Int64s, string[] Strings)
{
    public int Length => Type == OnnxElementType.String ? Strings.Length
        : Type is OnnxElementType.Float or OnnxElementType.Double ? Floats.Length : Int64s.Length;

    public static OnnxTensor Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var dims = new List<long>();
        var floats = new List<float>();
        var doubles = new List<double>();
        var ints = new List<long>();
        var strings = new List<string>();
        var type = OnnxElementType.Undefined;
        var name = "";
        ReadOnlySpan<byte> raw = default;
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1: reader.ReadInt64s(wire, dims); break;
                case 2: type = (OnnxElementType)reader.ReadInt64(); break;
                case 4: reader.ReadFloats(wire, floats); break;
                case 5 or 7: reader.ReadInt64s(wire, ints); break;
                case 6: strings.Add(reader.ReadString()); break;
                case 8: name = reader.ReadString(); break;
                case 9: raw = reader.ReadBytes(); break;
                case 10: reader.ReadDoubles(wire, doubles); break;
                default: reader.Skip(wire); break;
            }
        }

        if (!raw.IsEmpty)
        {
            FromRaw(type, raw, floats, ints, name);
        }

        floats.AddRange(doubles.Select(d => (float)d));
        return new OnnxTensor(name, type, [.. dims], [.. floats], [.. ints], [.. strings]);
    }

    /// <summary>raw_data holds the values little-endian, packed at the element type's width.</summary>
    private static void FromRaw(OnnxElementType type, ReadOnlySpan<byte> raw, List<float> floats, List<long> ints, string name)
    {
        switch (type)
        {
            case OnnxElementType.Float:
                for (var i = 0; i + 4 <= raw.Length; i += 4) floats.Add(BitConverter.ToSingle(raw.Slice(i, 4)));
                break;
            case OnnxElementType.Double:
                for (var i = 0; i + 8 <= raw.Length; i += 8) floats.Add((float)BitConverter.ToDouble(raw.Slice(i, 8)));
                break;
            case OnnxElementType.Int64:
                for (var i = 0; i + 8 <= raw.Length; i += 8) ints.Add(BitConverter.ToInt64(raw.Slice(i, 8)));
                break;
            case OnnxElementType.Int32:
                for (var i = 0; i + 4 <= raw.Length; i += 4) ints.Add(BitConverter.ToInt32(raw.Slice(i, 4)));
                break;
            case OnnxElementType.Bool or OnnxElementType.UInt8:
                foreach (var b in raw) ints.Add(b);
                break;
            default:
                throw new UnsupportedOnnxException(
                    $"constant tensor '{name}' has element type {type}, which the managed scorer does not read");
        }
    }
}
