using System.Buffers;
using System.IO.Pipelines;

namespace Layercake.Serving.Hosting;

/// <summary>
/// A request's whole body as one contiguous span, read from Kestrel's pipe without a stream adapter: when the length
/// is declared, one read of at least that many bytes; a chunked body is read to its end. A body Kestrel holds in one
/// segment is used where it lies; one in several is copied into a pooled buffer. Kestrel's body size limit applies as
/// it does to every read. Disposing gives the memory back, so the span must not outlive it.
/// </summary>
internal readonly struct RequestBody : IDisposable
{
    private readonly PipeReader? _pipe;
    private readonly ReadOnlySequence<byte> _buffer;
    private readonly byte[]? _pooled;
    private readonly int _length;

    private RequestBody(PipeReader? pipe, ReadOnlySequence<byte> buffer, byte[]? pooled, int length)
    {
        _pipe = pipe;
        _buffer = buffer;
        _pooled = pooled;
        _length = length;
    }

    public ReadOnlySpan<byte> Span => _pooled is not null ? _pooled.AsSpan(0, _length) : _buffer.FirstSpan;

    public static async ValueTask<RequestBody> ReadAsync(HttpContext context)
    {
        var pipe = context.Request.BodyReader;
        ReadResult result;
        if (context.Request.ContentLength is { } length and <= int.MaxValue)
        {
            result = await pipe.ReadAtLeastAsync((int)length, context.RequestAborted);
        }
        else
        {
            // Chunked: nothing is consumed until the end, so each read returns everything so far.
            while (true)
            {
                result = await pipe.ReadAsync(context.RequestAborted);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }

                pipe.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }

        var buffer = result.Buffer;
        var bytes = checked((int)buffer.Length);
        if (buffer.IsSingleSegment)
        {
            return new RequestBody(pipe, buffer, null, bytes);
        }

        // Measured before the pipe is advanced: advancing hands its segments back, and the sequence's length with them.
        var pooled = ArrayPool<byte>.Shared.Rent(bytes);
        buffer.CopyTo(pooled);
        pipe.AdvanceTo(buffer.End);
        return new RequestBody(null, default, pooled, bytes);
    }

    public void Dispose()
    {
        if (_pooled is not null)
        {
            ArrayPool<byte>.Shared.Return(_pooled);
        }
        else
        {
            _pipe?.AdvanceTo(_buffer.End);
        }
    }
}
