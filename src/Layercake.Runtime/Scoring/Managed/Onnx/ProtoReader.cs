namespace Layercake.Runtime.Scoring.Managed.Onnx;

/// <summary>
/// Reads protobuf's wire format, the little of it ONNX's model file needs: varints, 32/64-bit values and
/// length-delimited fields. Written here rather than taken from a protobuf package: the server is NativeAOT and
/// reads one small file once, and the ONNX schema's field numbers are all it needs (onnx.proto3).
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool End => _position >= _data.Length;

    /// <summary>The next field's number and wire type, or false at the end.</summary>
    public bool Next(out int field, out int wireType)
    {
        if (End)
        {
            field = 0;
            wireType = 0;
            return false;
        }

        var key = ReadVarint();
        field = (int)(key >> 3);
        wireType = (int)(key & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException($"ONNX model: a varint at byte {_position} is longer than 10 bytes.");
    }

    public long ReadInt64() => (long)ReadVarint();

    public float ReadFloat() => BitConverter.Int32BitsToSingle((int)Fixed(4));

    public double ReadDouble() => BitConverter.Int64BitsToDouble((long)Fixed(8));

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = checked((int)ReadVarint());
        if (length < 0 || _position + length > _data.Length)
        {
            throw new InvalidDataException($"ONNX model: a field at byte {_position} runs past the end of the file.");
        }

        var bytes = _data.Slice(_position, length);
        _position += length;
        return bytes;
    }

    public string ReadString() => System.Text.Encoding.UTF8.GetString(ReadBytes());

    /// <summary>Skips a field of a type this reader does not keep.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: Fixed(8); break;
            case 2: ReadBytes(); break;
            case 5: Fixed(4); break;
            default: throw new InvalidDataException($"ONNX model: wire type {wireType} at byte {_position} is not protobuf's.");
        }
    }

    /// <summary>A repeated int64 field, packed (wire type 2) or one value (wire type 0).</summary>
    public void ReadInt64s(int wireType, List<long> into)
    {
        if (wireType != 2)
        {
            into.Add(ReadInt64());
            return;
        }

        var packed = new ProtoReader(ReadBytes());
        while (!packed.End)
        {
            into.Add(packed.ReadInt64());
        }
    }

    /// <summary>A repeated float field, packed (wire type 2) or one value (wire type 5).</summary>
    public void ReadFloats(int wireType, List<float> into)
    {
        if (wireType != 2)
        {
            into.Add(ReadFloat());
            return;
        }

        var packed = ReadBytes();
        for (var i = 0; i + 4 <= packed.Length; i += 4)
        {
            into.Add(BitConverter.ToSingle(packed.Slice(i, 4)));
        }
    }

    /// <summary>A repeated double field, packed (wire type 2) or one value (wire type 1).</summary>
    public void ReadDoubles(int wireType, List<double> into)
    {
        if (wireType != 2)
        {
            into.Add(ReadDouble());
            return;
        }

        var packed = ReadBytes();
        for (var i = 0; i + 8 <= packed.Length; i += 8)
        {
            into.Add(BitConverter.ToDouble(packed.Slice(i, 8)));
        }
    }

    private byte Byte()
    {
        if (_position >= _data.Length)
        {
            throw new InvalidDataException("ONNX model: the file ends inside a field.");
        }

        return _data[_position++];
    }

    private ulong Fixed(int bytes)
    {
        if (_position + bytes > _data.Length)
        {
            throw new InvalidDataException("ONNX model: the file ends inside a field.");
        }

        ulong value = 0;
        for (var i = 0; i < bytes; i++)
        {
            value |= (ulong)_data[_position + i] << (8 * i);
        }

        _position += bytes;
        return value;
    }
}
