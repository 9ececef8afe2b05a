using System.Runtime.CompilerServices;

namespace Layercake.Runtime.Scoring.Managed;

/// <summary>
/// One thread's working memory for the graph: a flat array per value, laid out row-major as [rows, width], grown when a
/// call needs more and then reused, so a thread's calls of the same size allocate nothing after the first.
/// </summary>
internal sealed class Frame(int slots)
{
    private readonly Array?[] _values = new Array?[slots];
    private readonly int[] _widths = new int[slots];

    /// <summary>The rows of the current call.</summary>
    public int Rows { get; set; }

    /// <summary>A value's elements per row in the current call.</summary>
    public int Width(int slot) => _widths[slot];

    public T[] Read<T>(int slot) => Unsafe.As<T[]>(_values[slot]!);

    /// <summary>The array a kernel writes a value into, at least <see cref="Rows"/> × <paramref name="width"/> long.</summary>
    public T[] Write<T>(int slot, int width)
    {
        _widths[slot] = width;
        var needed = Rows * width;
        if (_values[slot] is T[] existing && existing.Length >= needed)
        {
            return existing;
        }

        var fresh = new T[Math.Max(needed, 1)];
        _values[slot] = fresh;
        return fresh;
    }
}
