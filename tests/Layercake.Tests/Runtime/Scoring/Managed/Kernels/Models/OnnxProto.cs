using System.Text;

namespace Layercake.Tests.Runtime.Scoring.Managed.Kernels.Models;

/// <summary>Protobuf wire format for hand-built ONNX graphs: fields, attributes and value infos (onnx.proto's numbers).</summary>
internal static class OnnxProto
{
    public const int FloatType = 1;
    public const int StringType = 8;
    public const int Int64Type = 7;

    public static byte[] Model(byte[] graph) => Concat(
        Varint(1, 8), Message(8, Concat(Text(1, "ai.onnx.ml"), Varint(2, 3))), Message(8, Varint(2, 17)), Message(7, graph));

    public static byte[] Graph(string name, byte[][] nodes, byte[][] inputs, byte[][] outputs) => Concat(
        Concat([.. nodes.Select(n => Message(1, n))]), Text(2, name), Concat([.. inputs.Select(i => Message(11, i))]),
        Concat([.. outputs.Select(o => Message(12, o))]));

    public static byte[] Node(string op, string domain, string[] inputs, string[] outputs, params byte[][] attributes) => Concat(
        Concat([.. inputs.Select(i => Text(1, i))]), Concat([.. outputs.Select(o => Text(2, o))]), Text(3, op + "-node"), Text(4, op),
        Text(7, domain), Concat([.. attributes.Select(a => Message(5, a))]));

    /// <summary>A tensor value of <paramref name="elementType"/> shaped [N] or [N, <paramref name="width"/>].</summary>
    public static byte[] Value(string name, int elementType, int? width)
    {
        var dims = Message(1, Text(2, "N"));
        var shape = width is { } w ? Concat(dims, Message(1, Varint(1, (ulong)w))) : dims;
        return Concat(Text(1, name), Message(2, Message(1, Concat(Varint(1, (ulong)elementType), Message(2, shape)))));
    }

    public static byte[] Ints(string name, IEnumerable<long> values) =>
        Concat(Text(1, name), Concat([.. values.Select(v => Varint(8, unchecked((ulong)v)))]), Varint(20, 7));

    public static byte[] Floats(string name, IEnumerable<float> values) =>
        Concat(Text(1, name), Concat([.. values.Select(v => Concat(Key(7, 5), BitConverter.GetBytes(v)))]), Varint(20, 6));

    public static byte[] Strings(string name, IEnumerable<string> values) =>
        Concat(Text(1, name), Concat([.. values.Select(v => Text(9, v))]), Varint(20, 8));

    public static byte[] String(string name, string value) => Concat(Text(1, name), Text(4, value), Varint(20, 3));

    private static byte[] Varint(int field, ulong value) => Concat(Key(field, 0), Raw(value));

    private static byte[] Text(int field, string value) => Message(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Message(int field, byte[] body) => Concat(Key(field, 2), Raw((ulong)body.Length), body);

    private static byte[] Key(int field, int wire) => Raw((ulong)((field << 3) | wire));

    private static byte[] Raw(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
