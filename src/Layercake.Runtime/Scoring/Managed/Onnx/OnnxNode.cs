namespace Layercake.Runtime.Scoring.Managed.Onnx;

/// <summary>One node of the graph: its operator, the values it reads and writes (by name), and its attributes.</summary>
internal sealed record OnnxNode(string Name, string OpType, string Domain, string[] Inputs, string[] Outputs, IReadOnlyDictionary<string,
    OnnxAttribute> Attributes)
{
    /// <summary>The operator as ONNX names it, with its domain ("ai.onnx.ml.Scaler", or "Cast" for the default domain).</summary>
    public string Operator => Domain is "" or "ai.onnx" ? OpType : $"{Domain}.{OpType}";

    public static OnnxNode Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        string name = "", op = "", domain = "";
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1: inputs.Add(reader.ReadString()); break;
                case 2: outputs.Add(reader.ReadString()); break;
                case 3: name = reader.ReadString(); break;
                case 4: op = reader.ReadString(); break;
                case 5:
                    var attribute = OnnxAttribute.Read(reader.ReadBytes());
                    attributes[attribute.Name] = attribute;
                    break;
                case 7: domain = reader.ReadString(); break;
                default: reader.Skip(wire); break;
            }
        }

        return new OnnxNode(name, op, domain, [.. inputs], [.. outputs], attributes);
    }

    public OnnxAttribute? Attribute(string name) => Attributes.GetValueOrDefault(name);

    public long Int(string name, long fallback) => Attribute(name) is { } a ? a.Int : fallback;

    public float Float(string name, float fallback) => Attribute(name) is { } a ? a.Float : fallback;

    public string String(string name, string fallback) => Attribute(name)?.String ?? fallback;

    public float[] Floats(string name) => Attribute(name)?.Floats ?? [];

    public long[] Ints(string name) => Attribute(name)?.Ints ?? [];

    public string[] Strings(string name) => Attribute(name)?.Strings ?? [];

    /// <summary>A located failure: the node, its operator and what about it is not supported.</summary>
    public UnsupportedOnnxException Unsupported(string what) => new($"operator {Operator} (node '{Name}'): {what}");
}
