using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Layercake.Development.Data.Tables;

namespace Layercake.Development.Data.Sources;

/// <summary>
/// Decodes a UTF-8 stream chunk by chunk, so a large file is never held whole as bytes or text. Binary files and other
/// encodings fail here, with the line and byte (counted after any byte order mark), rather than as garbled values
/// later: invalid UTF-8 and control characters other than tab and line ends are not text.
/// </summary>
internal sealed class StrictUtf8Reader(Stream stream, string file) : TextReader
{
    private const int ChunkBytes = 1 << 20;
    private readonly byte[] _bytes = new byte[ChunkBytes];
    private readonly char[] _chars = new char[ChunkBytes];
    private int _byteCount;
    private int _charStart;
    private int _charCount;
    private long _offset;
    private int _line = 1;
    private bool _started;
    private bool _ended;

    /// <summary>Whether anything but a byte order mark was read; valid once reading has reached the end.</summary>
    public bool HadText { get; private set; }

    public override int Peek() => Fill() ? _chars[_charStart] : -1;

    public override int Read() => Fill() ? _chars[_charStart++] : -1;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty || !Fill())
        {
            return 0;
        }

        var n = Math.Min(buffer.Length, _charCount - _charStart);
        _chars.AsSpan(_charStart, n).CopyTo(buffer);
        _charStart += n;
        return n;
    }

    private bool Fill()
    {
        while (_charStart == _charCount)
        {
            if (_ended)
            {
                return false;
            }

            Decode();
        }

        return true;
    }

    private void Decode()
    {
        var read = stream.Read(_bytes, _byteCount, _bytes.Length - _byteCount);
        _ended = read == 0;
        _byteCount += read;
        var bytes = _bytes.AsSpan(0, _byteCount);
        if (!_started && (bytes.Length >= 3 || _ended))
        {
            _started = true;
            if (bytes.StartsWith(Encoding.UTF8.Preamble))
            {
                _bytes.AsSpan(3, _byteCount - 3).CopyTo(_bytes);
                _byteCount -= 3;
                bytes = _bytes.AsSpan(0, _byteCount);
            }
        }
        else if (!_started)
        {
            return;
        }

        var status = Utf8.ToUtf16(bytes, _chars, out var used, out var written, replaceInvalidSequences: false, isFinalBlock: _ended);
        if (status is OperationStatus.InvalidData || (_ended && status != OperationStatus.Done))
        {
            throw new DataValidationException(file, _line + LinesIn(bytes[..used]),
                $"byte {_offset + used} is not valid UTF-8; expected a UTF-8 text file (is this a binary file?)");
        }

        for (var i = 0; i < written; i++)
        {
            var c = _chars[i];
            if (char.IsControl(c) && c is not ('\t' or '\r' or '\n'))
            {
                var before = Encoding.UTF8.GetByteCount(_chars.AsSpan(0, i));
                throw new DataValidationException(file, _line + LinesIn(bytes[..before]),
                    $"control character U+{(int)c:X4} at byte {_offset + before}; expected a text file (is this a binary file?)");
            }
        }

        HadText |= written > 0;
        _line += LinesIn(bytes[..used]);
        _offset += used;
        // An incomplete sequence at the chunk's end waits for the next chunk.
        bytes[used..].CopyTo(_bytes);
        _byteCount = bytes.Length - used;
        _charStart = 0;
        _charCount = written;
    }

    private static int LinesIn(ReadOnlySpan<byte> bytes) => bytes.Count((byte)'\n');
}
