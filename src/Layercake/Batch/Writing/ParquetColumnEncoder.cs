using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Layercake.Batch.Chunks;
using Snappier;

namespace Layercake.Batch.Writing;

/// <summary>
/// Encodes a row group's columns as Parquet pages (format version 1, Snappy) into one buffer, on the core that
/// scored the chunk: numbers in plain encoding, text through a dictionary of the chunk's distinct values (plain when most
/// values are distinct), optional columns with run-length definition levels. One data page per column and row group.
/// </summary>
internal sealed class ParquetColumnEncoder(PooledBytes output) : IDisposable
{
    private const int PageData = 0;
    private const int PageDictionary = 2;
    private const int EncodingPlain = 0;
    private const int EncodingRle = 3;
    private const int EncodingRleDictionary = 8;

    private readonly PooledBytes _page = new(1 << 16);
    private readonly PooledBytes _compressed = new(1 << 16);
    private int _uncompressed;
    private readonly Dictionary<string, int> _dictionary = new(StringComparer.Ordinal);
    private readonly List<string> _distinct = [];
    private int[] _indices = [];

    /// <summary>An optional double column: NaN is missing.</summary>
    public ParquetColumnChunk Doubles(double[] values, int[] rows)
    {
        var start = output.Length;
        var present = 0;
        foreach (var row in rows)
        {
            present += double.IsNaN(values[row]) ? 0 : 1;
        }

        DefinitionLevels(rows.Length, present, i => !double.IsNaN(values[rows[i]]));
        var span = _page.GetSpan(rows.Length * sizeof(double));
        var n = 0;
        foreach (var row in rows)
        {
            var value = values[row];
            if (!double.IsNaN(value))
            {
                BinaryPrimitives.WriteDoubleLittleEndian(span[(n * sizeof(double))..], value);
                n++;
            }
        }

        _page.Advance(n * sizeof(double));
        var data = DataPage(rows.Length, EncodingPlain);
        return Chunk(new ParquetColumnChunk(start, output.Length - start, null, data, rows.Length, false));
    }

    /// <summary>A required float column.</summary>
    public ParquetColumnChunk Floats(ReadOnlySpan<float> values)
    {
        var start = output.Length;
        var bytes = MemoryMarshal.AsBytes(values);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Parquet output is written on little-endian machines only.");
        }

        bytes.CopyTo(_page.GetSpan(bytes.Length));
        _page.Advance(bytes.Length);
        var data = DataPage(values.Length, EncodingPlain);
        return Chunk(new ParquetColumnChunk(start, output.Length - start, null, data, values.Length, false));
    }

    /// <summary>An optional text column: null is missing. Not thread-safe: one encoder per chunk being encoded.</summary>
    public ParquetColumnChunk Strings(IReadOnlyList<string?> values)
    {
        var start = output.Length;
        var present = Index(values);
        if (present == 0 || _distinct.Count * 2 > present)
        {
            // Mostly distinct values (an id column): a dictionary would only add to them.
            DefinitionLevels(values.Count, present, i => values[i] is not null);
            foreach (var value in values)
            {
                if (value is not null)
                {
                    ParquetPageBytes.PlainString(_page, value);
                }
            }

            var plain = DataPage(values.Count, EncodingPlain);
            return Chunk(new ParquetColumnChunk(start, output.Length - start, null, plain, values.Count, false));
        }

        foreach (var value in _distinct)
        {
            ParquetPageBytes.PlainString(_page, value);
        }

        Page(PageDictionary, _distinct.Count, EncodingPlain);
        var dictionary = start;
        DefinitionLevels(values.Count, present, i => values[i] is not null);
        Indices(present);
        var data = DataPage(values.Count, EncodingRleDictionary);
        return Chunk(new ParquetColumnChunk(start, output.Length - start, dictionary, data, values.Count, true));
    }

    /// <summary>Fills the chunk's dictionary and each present value's index in it; returns how many values are present.</summary>
    private int Index(IReadOnlyList<string?> values)
    {
        _dictionary.Clear();
        _distinct.Clear();
        if (_indices.Length < values.Count)
        {
            _indices = new int[values.Count];
        }

        string? previous = null;
        var index = -1;
        var present = 0;
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            // The same string object as the row before (a constant column, a run of one category), or as one of the first
            // few distinct values (the reader shares each distinct text), skips the hash lookup.
            if (!ReferenceEquals(value, previous))
            {
                index = Recent(value);
                if (index < 0 && !_dictionary.TryGetValue(value, out index))
                {
                    index = _distinct.Count;
                    _dictionary.Add(value, index);
                    _distinct.Add(value);
                }

                previous = value;
            }

            _indices[present++] = index;
        }

        return present;
    }

    private int Recent(string value)
    {
        var known = Math.Min(_distinct.Count, 8);
        for (var d = 0; d < known; d++)
        {
            if (ReferenceEquals(_distinct[d], value))
            {
                return d;
            }
        }

        return -1;
    }

    /// <summary>The dictionary indices: one run-length run when they are all one value, else bit-packed in groups of eight.</summary>
    private void Indices(int count)
    {
        var width = Math.Max(1, 32 - int.LeadingZeroCount(Math.Max(_distinct.Count - 1, 0)));
        ParquetPageBytes.Byte(_page, (byte)width);
        if (count == 0)
        {
            return;
        }

        if (_distinct.Count == 1)
        {
            ParquetPageBytes.Varint(_page, (ulong)count << 1);
            ParquetPageBytes.Byte(_page, 0);
            return;
        }

        var groups = (count + 7) / 8;
        ParquetPageBytes.Varint(_page, ((ulong)groups << 1) | 1);
        var span = _page.GetSpan(groups * width);
        ulong bits = 0;
        var held = 0;
        var n = 0;
        for (var i = 0; i < groups * 8; i++)
        {
            bits |= (ulong)(i < count ? _indices[i] : 0) << held;
            held += width;
            while (held >= 8)
            {
                span[n++] = (byte)bits;
                bits >>= 8;
                held -= 8;
            }
        }

        _page.Advance(n);
    }

    /// <summary>
    /// Writes the definition levels of an optional column (1 present, 0 missing) as run-length runs, framed by their
    /// length, at the start of the page. A column with no missing value (the common case) is one run, found without a scan.
    /// </summary>
    private void DefinitionLevels(int count, int present, Func<int, bool> isPresent)
    {
        var at = _page.Length;
        ThriftCompactWriter.Int32(_page, 0);
        var i = present == count ? count : 0;
        if (present == count && count > 0)
        {
            ParquetPageBytes.Varint(_page, (ulong)count << 1);
            ParquetPageBytes.Byte(_page, 1);
        }

        while (i < count)
        {
            var value = isPresent(i);
            var run = 1;
            while (i + run < count && isPresent(i + run) == value)
            {
                run++;
            }

            ParquetPageBytes.Varint(_page, (ulong)run << 1);
            ParquetPageBytes.Byte(_page, value ? (byte)1 : (byte)0);
            i += run;
        }

        BinaryPrimitives.WriteInt32LittleEndian(_page.Buffer.AsSpan(at), _page.Length - at - 4);
    }

    /// <summary>Writes the page built so far in <see cref="_page"/> with its header; returns where it starts.</summary>
    private int DataPage(int values, int encoding)
    {
        var at = output.Length;
        Page(PageData, values, encoding);
        return at;
    }

    /// <summary>The column's pages written since the last column: their size before compression goes with them.</summary>
    private ParquetColumnChunk Chunk(ParquetColumnChunk chunk)
    {
        var uncompressed = _uncompressed;
        _uncompressed = 0;
        return chunk with { Uncompressed = uncompressed };
    }

    private void Page(int type, int values, int encoding)
    {
        _compressed.Reset();
        var bound = Snappy.GetMaxCompressedLength(_page.Length);
        var length = Snappy.Compress(_page.Buffer.AsSpan(0, _page.Length), _compressed.GetSpan(bound));
        _compressed.Advance(length);
        var at = output.Length;
        var header = new ThriftCompactWriter(output);
        header.I32Field(1, type);
        header.I32Field(2, _page.Length);
        header.I32Field(3, length);
        header.BeginStruct(type == PageData ? (short)5 : (short)7);
        header.I32Field(1, values);
        header.I32Field(2, encoding);
        if (type == PageData)
        {
            header.I32Field(3, EncodingRle);
            header.I32Field(4, EncodingRle);
        }

        header.EndStruct();
        header.EndMessage();
        _uncompressed += output.Length - at + _page.Length;
        _compressed.Buffer.AsSpan(0, length).CopyTo(output.GetSpan(length));
        output.Advance(length);
        _page.Reset();
    }

    public void Dispose()
    {
        _page.Return();
        _compressed.Return();
    }
}
