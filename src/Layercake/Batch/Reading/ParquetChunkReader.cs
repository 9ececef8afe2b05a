using System.Globalization;
using Layercake.Batch.Chunks;
using Layercake.Development.Data;
using Layercake.Development.Data.Sources;
using Layercake.Development.Data.Tables;
using Parquet;
using Parquet.Schema;

namespace Layercake.Batch.Reading;

/// <summary>
/// Streams a Parquet file row group by row group, reading only the columns a job needs: numeric columns as numbers,
/// the rest as the text Prepare gives them (<see cref="SourceValueText"/>). Memory holds a row group, not the file.
/// </summary>
internal sealed class ParquetChunkReader : IChunkReader
{
    private readonly string _path;
    private readonly DataField[] _fields;
    // Two readers of the file, each with its own stream and its own text values: one reads the next row group while the
    // other's chunks are scored. Row group g is read by reader g % 2.
    private readonly Stream?[] _streams = new Stream?[2];
    private readonly ParquetReader?[] _readers = new ParquetReader?[2];
    private readonly TextInterner[][] _interners;

    private ParquetChunkReader(string path, Stream stream, ParquetReader reader, DataField[] fields)
    {
        _path = path;
        _streams[0] = stream;
        _readers[0] = reader;
        _fields = fields;
        _interners = [[.. fields.Select(_ => new TextInterner())], [.. fields.Select(_ => new TextInterner())]];
        Header = [.. fields.Select(f => f.Name)];
        Numeric = [.. fields.Select(f => IsNumber(f.ClrType))];
    }

    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<bool> Numeric { get; }

    public static async Task<ParquetChunkReader> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        try
        {
            var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (reader.Schema.Fields.FirstOrDefault(f => f is not DataField) is { } nested)
            {
                throw new DataValidationException(path, 1,
                    $"column '{nested.Name}' is a nested {nested.SchemaType.ToString().ToLowerInvariant()}; expected flat columns");
            }

            var fields = reader.Schema.GetDataFields();
            if (fields.FirstOrDefault(f => !Readable(f.ClrType)) is { } odd)
            {
                throw new DataValidationException(path, 1,
                    $"column '{odd.Name}' holds {odd.ClrType.Name} values; expected numbers, text, booleans or dates");
            }

            return new ParquetChunkReader(path, stream, reader, fields);
        }
        catch (Exception e) when (e is not DataValidationException && e is not OperationCanceledException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new DataValidationException(path, 1, $"not a readable Parquet file: {e.Message}");
        }
    }

    public async IAsyncEnumerable<InputChunk> ReadAsync(
        IReadOnlySet<int> needed, int chunkRows,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var groups = _readers[0]!.RowGroupCount;
        if (groups > 1 && _readers[1] is null)
        {
            _streams[1] = File.OpenRead(_path);
            _readers[1] = await ParquetReader.CreateAsync(_streams[1]!, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        long first = 0;
        var next = groups > 0 ? ReadGroupAsync(0, needed, cancellationToken) : null;
        try
        {
            for (var g = 0; g < groups; g++)
            {
                var (columns, rows) = await next!.ConfigureAwait(false);
                next = null;
                // Reading is the job's one serial stage: the next row group is read on the other reader meanwhile.
                var following = g + 1;
                next = following < groups ? Task.Run(() => ReadGroupAsync(following, needed, cancellationToken), cancellationToken) : null;
                // A large row group is cut into chunks, so every core has one to score.
                for (var start = 0; start < rows; start += chunkRows)
                {
                    var count = Math.Min(chunkRows, rows - start);
                    yield return new InputChunk(first + start, count, [.. columns.Select(c => Slice(c, start, count))], null);
                }

                ReturnAll(columns);
                first += rows;
            }
        }
        finally
        {
            // A job that stops early waits for the read ahead, so no reader is disposed under it.
            if (next is not null)
            {
                await Task.WhenAny(next).ConfigureAwait(false);
                if (next.IsCompletedSuccessfully)
                {
                    ReturnAll((await next.ConfigureAwait(false)).Columns);
                }
            }
        }
    }

    private async Task<(ChunkColumn?[] Columns, int Rows)> ReadGroupAsync(int g, IReadOnlySet<int> needed,
        CancellationToken cancellationToken)
    {
        var columns = new ChunkColumn?[_fields.Length];
        using var group = _readers[g % 2]!.OpenRowGroupReader(g);
        var rows = checked((int)group.RowCount);
        foreach (var c in needed)
        {
            columns[c] = await ReadColumnAsync(group, _fields[c], _interners[g % 2][c], rows, cancellationToken).ConfigureAwait(false);
        }

        return (columns, rows);
    }

    private static void ReturnAll(ChunkColumn?[] columns)
    {
        foreach (var column in columns)
        {
            Return(column);
        }
    }

    private static ChunkColumn? Slice(ChunkColumn? column, int start, int count) => column is null ? null
        : new ChunkColumn(column.Numbers?.AsSpan(start, count).ToArray(), column.Texts?.AsSpan(start, count).ToArray());

    private static bool Readable(Type type) => IsNumber(type)
        || type == typeof(string) || type == typeof(ReadOnlyMemory<char>) || type == typeof(long) || type == typeof(decimal)
        || type == typeof(bool) || type == typeof(DateTime) || type == typeof(DateOnly);

    private static bool IsNumber(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(int) || type == typeof(short) || type == typeof(byte)
            || type == typeof(sbyte);

    private static async Task<ChunkColumn> ReadColumnAsync(ParquetRowGroupReader group, DataField field, TextInterner interner,
        int rows, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            // Read as Parquet.Net's own text values, then each distinct one as one shared string.
            var memory = await ReadAsync<ReadOnlyMemory<char>>(group, field, rows, cancellationToken).ConfigureAwait(false);
            var text = RowGroupArrays<string?>.Pool.Rent(rows);
            for (var i = 0; i < rows; i++)
            {
                text[i] = memory[i] is { } value ? interner.Get(value.Span) : null;
            }

            RowGroupArrays<ReadOnlyMemory<char>?>.Pool.Return(memory.Array!, clearArray: true);
            return new ChunkColumn(null, text);
        }

        return type switch
        {
            _ when type == typeof(double) => Numbers(await ReadAsync<double>(group, field, rows, cancellationToken).ConfigureAwait(false),
                v => v),
            // Through the float's shortest text, as Prepare reads it: 0.1f is 0.1, not 0.100000001.
            _ when type == typeof(float) => Numbers(await ReadAsync<float>(group, field, rows, cancellationToken).ConfigureAwait(false),
                v => double.Parse(v.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)),
            _ when type == typeof(int) => Numbers(await ReadAsync<int>(group, field, rows, cancellationToken).ConfigureAwait(false), v
                => v),
            _ when type == typeof(short) => Numbers(await ReadAsync<short>(group, field, rows, cancellationToken).ConfigureAwait(false), v
                => v),
            _ when type == typeof(byte) => Numbers(await ReadAsync<byte>(group, field, rows, cancellationToken).ConfigureAwait(false), v
                => v),
            _ when type == typeof(sbyte) => Numbers(await ReadAsync<sbyte>(group, field, rows, cancellationToken).ConfigureAwait(false), v
                => v),
            _ when type == typeof(long) => Texts(await ReadAsync<long>(group, field, rows, cancellationToken).ConfigureAwait(false)),
            _ when type == typeof(decimal) => Texts(await ReadAsync<decimal>(group, field, rows, cancellationToken).ConfigureAwait(false)),
            _ when type == typeof(bool) => Texts(await ReadAsync<bool>(group, field, rows, cancellationToken).ConfigureAwait(false)),
            _ when type == typeof(DateTime) => Texts(await ReadAsync<DateTime>(group, field, rows,
                cancellationToken).ConfigureAwait(false)),
            _ when type == typeof(DateOnly) => Texts(await ReadAsync<DateOnly>(group, field, rows,
                cancellationToken).ConfigureAwait(false)),
            _ => throw new InvalidOperationException($"column '{field.Name}' holds {type.Name} values, which were refused on opening"),
        };
    }

    // A row group's columns are read into pooled arrays and handed back once cut into chunks: a fresh array per column
    // and row group lands on the large object heap, whose collections are full, blocking ones.
    private static async Task<ArraySegment<T?>> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rows,
        CancellationToken cancellationToken)
        where T : struct
    {
        var values = RowGroupArrays<T?>.Pool.Rent(rows);
        if (field.IsNullable)
        {
            await group.ReadAsync(field, values.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
            return new ArraySegment<T?>(values, 0, rows);
        }

        // A required column is read as plain values: read as nullable ones, Parquet.Net 6.1 now and then shifted a
        // row group's values by one from a few rows in, with a missing value in the gap (flights' distance, 3M rows).
        var plain = RowGroupArrays<T>.Pool.Rent(rows);
        await group.ReadAsync(field, plain.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < rows; i++)
        {
            values[i] = plain[i];
        }

        RowGroupArrays<T>.Pool.Return(plain);
        return new ArraySegment<T?>(values, 0, rows);
    }

    private static ChunkColumn Numbers<T>(ArraySegment<T?> values, Func<T, double> toDouble)
        where T : struct
    {
        var numbers = RowGroupArrays<double>.Pool.Rent(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            numbers[i] = values[i] is { } x ? toDouble(x) : double.NaN;
        }

        RowGroupArrays<T?>.Pool.Return(values.Array!);
        return new ChunkColumn(numbers, null);
    }

    private static ChunkColumn Texts<T>(ArraySegment<T?> values)
        where T : struct
    {
        var texts = RowGroupArrays<string?>.Pool.Rent(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            texts[i] = values[i] is { } x ? SourceValueText.Format(x) : null;
        }

        RowGroupArrays<T?>.Pool.Return(values.Array!);
        return new ChunkColumn(null, texts);
    }

    private static void Return(ChunkColumn? column)
    {
        if (column?.Numbers is { } numbers)
        {
            RowGroupArrays<double>.Pool.Return(numbers);
        }

        if (column?.Texts is { } texts)
        {
            RowGroupArrays<string?>.Pool.Return(texts, clearArray: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _readers.Length; i++)
        {
            if (_readers[i] is { } reader)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            if (_streams[i] is { } stream)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
