using System.Buffers;

namespace Layercake.Batch.Reading;

/// <summary>
/// The Parquet reader's row-group arrays (a column of a row group: megabytes each), pooled apart from the shared pool.
/// The shared pool keeps one array per size and thread besides its per-core stacks; a row group is read on whichever
/// pool thread is free and handed back on another, so over a long job every thread came to hold a set, and peak memory
/// grew with the input. This pool keeps at most <see cref="PerSize"/> arrays of a size, whatever the threads.
/// </summary>
internal static class RowGroupArrays<T>
{
    private const int PerSize = 16;

    public static ArrayPool<T> Pool { get; } = ArrayPool<T>.Create(1 << 27, PerSize);
}
