using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Layercake.Batch.Writing;

/// <summary>
/// The Thrift compact protocol, as far as a Parquet file's page headers and footer need it: structs of integers, strings,
/// booleans, nested structs and lists. Field ids must rise within a struct, as the Parquet definitions number them.
/// </summary>
internal sealed class ThriftCompactWriter(IBufferWriter<byte> output)
{
    private const byte BoolTrue = 1;
    private const byte BoolFalse = 2;
    private const byte I32 = 5;
    private const byte I64 = 6;
    private const byte Binary = 8;
    private const byte List = 9;
    private const byte Struct = 12;

    private readonly Stack<short> _outer = new();
    private short _last;

    public void I32Field(short id, int value)
    {
        Header(id, I32);
        Varint(ZigZag(value));
    }

    public void I64Field(short id, long value)
    {
        Header(id, I64);
        Varint(ZigZag(value));
    }

    public void StringField(short id, string value)
    {
        Header(id, Binary);
        StringValue(value);
    }

    public void BoolField(short id, bool value) => Header(id, value ? BoolTrue : BoolFalse);

    /// <summary>Opens a struct field; its fields follow, then <see cref="EndStruct"/>.</summary>
    public void BeginStruct(short id)
    {
        Header(id, Struct);
        BeginListedStruct();
    }

    /// <summary>Opens a struct that is an element of a list.</summary>
    public void BeginListedStruct()
    {
        _outer.Push(_last);
        _last = 0;
    }

    public void EndStruct()
    {
        Byte(0);
        _last = _outer.Pop();
    }

    /// <summary>Ends the outermost struct (a page header or the footer), which has no field header of its own.</summary>
    public void EndMessage() => Byte(0);

    public void StructListField(short id, int count) => ListHeader(id, Struct, count);

    public void I32ListField(short id, IReadOnlyList<int> values)
    {
        ListHeader(id, I32, values.Count);
        foreach (var value in values)
        {
            Varint(ZigZag(value));
        }
    }

    public void StringListField(short id, IReadOnlyList<string> values)
    {
        ListHeader(id, Binary, values.Count);
        foreach (var value in values)
        {
            StringValue(value);
        }
    }

    private void ListHeader(short id, byte elementType, int count)
    {
        Header(id, List);
        if (count < 15)
        {
            Byte((byte)((count << 4) | elementType));
        }
        else
        {
            Byte((byte)(0xF0 | elementType));
            Varint((ulong)count);
        }
    }

    private void StringValue(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Varint((ulong)length);
        var span = output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        output.Advance(length);
    }

    private void Header(short id, byte type)
    {
        var delta = id - _last;
        if (delta is > 0 and <= 15)
        {
            Byte((byte)((delta << 4) | type));
        }
        else
        {
            Byte(type);
            Varint(ZigZag(id));
        }

        _last = id;
    }

    private void Byte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private void Varint(ulong value)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        output.Advance(n);
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>A little-endian 32-bit integer, as Parquet frames definition levels and its footer's length.</summary>
    public static void Int32(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }
}
