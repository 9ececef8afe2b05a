using System.Text;

namespace Layercake.Tests.Runtime.Scoring.Managed;

/// <summary>
/// Writes a one-node ONNX model (X: float [N, 1] → op → Y: float [N, 1]) in protobuf's wire format, for tests that need
/// a graph no exporter makes here, such as an operator the managed scorer does not know but ONNX Runtime does.
/// </summary>
internal static class TinyOnnxModel
{
    public static byte[] OneNode(string opType, string domain, string attribute, float value)
    {
        var node = Concat(Text(1, "X"), Text(2, "Y"), Text(3, "only"), Text(4, opType), Text(7, domain),
            Message(5, Concat(Text(1, attribute), Float(2, value), Varint(20, 1))));
        var graph = Concat(Message(1, node), Text(2, "tiny"), Message(11, ValueInfo("X")), Message(12, ValueInfo("Y")));
        return Concat(Varint(1, 7), Message(8, Concat(Text(1, "ai.onnx.ml"), Varint(2, 2))), Message(8, Varint(2, 12)), Message(7, graph));
    }

    private static byte[] ValueInfo(string name)
    {
        var shape = Concat(Message(1, Text(2, "N")), Message(1, Varint(1, 1)));
        var tensor = Concat(Varint(1, 1), Message(2, shape));
        return Concat(Text(1, name), Message(2, Message(1, tensor)));
    }

    private static byte[] Varint(int field, ulong value) => Concat(Key(field, 0), Raw(value));

    private static byte[] Float(int field, float value) => Concat(Key(field, 5), BitConverter.GetBytes(value));

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
