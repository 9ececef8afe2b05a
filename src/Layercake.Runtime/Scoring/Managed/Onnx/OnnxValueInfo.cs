namespace Layercake.Runtime.Scoring.Managed.Onnx;

/// <summary>A graph input or output: its name, element type and shape (-1 for a symbolic dimension such as the batch).</summary>
internal sealed record OnnxValueInfo(string Name, OnnxElementType Type, long[] Dims)
{
    public static OnnxValueInfo Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var name = "";
        var type = OnnxElementType.Undefined;
        var dims = new List<long>();
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1)
            {
                name = reader.ReadString();
            }
            else if (field == 2)
            {
                ReadType(reader.ReadBytes(), ref type, dims);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return new OnnxValueInfo(name, type, [.. dims]);
    }

    /// <summary>TypeProto.tensor_type (1): elem_type (1) and shape (2), whose dims (1) have dim_value (1) or dim_param (2).</summary>
    private static void ReadType(ReadOnlySpan<byte> bytes, ref OnnxElementType type, List<long> dims)
    {
        var typeProto = new ProtoReader(bytes);
        while (typeProto.Next(out var field, out var wire))
        {
            if (field != 1)
            {
                typeProto.Skip(wire);
                continue;
            }

            var tensor = new ProtoReader(typeProto.ReadBytes());
            while (tensor.Next(out var tensorField, out var tensorWire))
            {
                if (tensorField == 1)
                {
                    type = (OnnxElementType)tensor.ReadInt64();
                }
                else if (tensorField == 2)
                {
                    ReadShape(tensor.ReadBytes(), dims);
                }
                else
                {
                    tensor.Skip(tensorWire);
                }
            }
        }
    }

    private static void ReadShape(ReadOnlySpan<byte> bytes, List<long> dims)
    {
        var shape = new ProtoReader(bytes);
        while (shape.Next(out var field, out var wire))
        {
            if (field != 1)
            {
                shape.Skip(wire);
                continue;
            }

            var dim = new ProtoReader(shape.ReadBytes());
            var value = -1L;
            while (dim.Next(out var dimField, out var dimWire))
            {
                if (dimField == 1)
                {
                    value = dim.ReadInt64();
                }
                else
                {
                    dim.Skip(dimWire);
                }
            }

            dims.Add(value);
        }
    }
}
