namespace Layercake.Runtime.Scoring.Managed.Onnx;

/// <summary>
/// The graph of an ONNX model file (ModelProto.graph): its nodes in file order (ONNX requires topological order),
/// its constant tensors, inputs and outputs.
/// </summary>
internal sealed record OnnxGraph(
    IReadOnlyList<OnnxNode> Nodes,
    IReadOnlyDictionary<string, OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs,
    IReadOnlyList<OnnxValueInfo> Outputs)
{
    public static OnnxGraph Load(string path)
    {
        try
        {
            return Read(File.ReadAllBytes(path));
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    public static OnnxGraph Read(ReadOnlySpan<byte> model)
    {
        var reader = new ProtoReader(model);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 7)
            {
                return ReadGraph(reader.ReadBytes());
            }

            reader.Skip(wire);
        }

        throw new InvalidDataException("ONNX model: the file has no graph.");
    }

    private static OnnxGraph ReadGraph(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1: nodes.Add(OnnxNode.Read(reader.ReadBytes())); break;
                case 5:
                    var tensor = OnnxTensor.Read(reader.ReadBytes());
                    initializers[tensor.Name] = tensor;
                    break;
                case 11: inputs.Add(OnnxValueInfo.Read(reader.ReadBytes())); break;
                case 12: outputs.Add(OnnxValueInfo.Read(reader.ReadBytes())); break;
                default: reader.Skip(wire); break;
            }
        }

        // Initializers may also be listed as inputs (IR < 4); only the rest are fed.
        inputs.RemoveAll(i => initializers.ContainsKey(i.Name));
        return new OnnxGraph(nodes, initializers, inputs, outputs);
    }
}
