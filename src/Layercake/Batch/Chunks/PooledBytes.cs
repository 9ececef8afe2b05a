using System.Buffers;

namespace Layercake.Batch.Chunks;

/// <summary>
/// A growing byte buffer rented from the shared pool: a text chunk's bytes without a large-object-heap array per chunk,
/// whose collections (each a full, blocking one) dominated a job's time when every chunk allocated its own.
/// </summary>
internal sealed class PooledBytes(int capacity) : IBufferWriter<byte>
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));

    public int Length { get; private set; }

    public byte[] Buffer => _buffer;

    public void Advance(int count) => Length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(Length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(Length);
    }

    /// <summary>Empties the buffer to fill it again.</summary>
    public void Reset() => Length = 0;

    /// <summary>Gives the buffer back to the pool; the bytes must not be used afterwards.</summary>
    public void Return()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        Length = 0;
    }

    private void Ensure(int sizeHint)
    {
        if (_buffer.Length - Length >= Math.Max(sizeHint, 1))
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + sizeHint));
        _buffer.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
