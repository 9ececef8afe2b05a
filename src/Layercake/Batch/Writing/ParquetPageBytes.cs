using System.Buffers.Binary;
using System.Text;
using Layercake.Batch.Chunks;

namespace Layercake.Batch.Writing;

/// <summary>The byte-level pieces of a Parquet page: a byte, an unsigned varint (run headers), a length-prefixed UTF-8 value.</summary>
internal static class ParquetPageBytes
{
    public static void PlainString(PooledBytes page, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var span = page.GetSpan(length + 4);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        Encoding.UTF8.GetBytes(value, span[4..]);
        page.Advance(length + 4);
    }

    public static void Byte(PooledBytes page, byte value)
    {
        page.GetSpan(1)[0] = value;
        page.Advance(1);
    }

    public static void Varint(PooledBytes page, ulong value)
    {
        var span = page.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        page.Advance(n);
    }
}
