namespace Layercake.Monitoring.Logs.Internal;

/// <summary>
/// The parsed lines of one block of a log file, in order, kept in flat arrays so a block parsed on one thread can
/// be handed to the single thread that accumulates statistics. Reused from a pool, so blocks do not allocate.
/// </summary>
internal sealed class ParsedChunk(int numericColumns, int categoricalColumns)
{
    public enum LineKind : byte
    {
        Row,
        Unreadable,
        Incomplete,
    }

    private Entry[] _entries = new Entry[4096];
    private double[] _numbers = new double[4096 * numericColumns];
    private string?[] _categories = new string?[4096 * categoricalColumns];

    public string File { get; set; } = "";

    public int Count { get; private set; }

    public void Clear()
    {
        Array.Clear(_entries, 0, Count);
        Array.Clear(_categories, 0, Count * categoricalColumns);
        Count = 0;
    }

    public void Add(LogRow row, LineKind kind, string? problem, int line)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, Count * 2);
            Array.Resize(ref _numbers, Count * 2 * numericColumns);
            Array.Resize(ref _categories, Count * 2 * categoricalColumns);
        }

        _entries[Count] =
            new Entry(kind, line, problem, row.Time, row.RequestId, row.Row, row.Model, row.Version, row.Rejected, row.Status,
            row.PredictedLabel, row.PredictedValue, row.Reason, row.RejectedRows);
        if (kind == LineKind.Row)
        {
            row.Numbers.CopyTo(_numbers, Count * numericColumns);
            row.Categories.CopyTo(_categories, Count * categoricalColumns);
        }

        Count++;
    }

    public LineKind KindOf(int index) => _entries[index].Kind;

    public (int Line, string? Problem) ProblemOf(int index) => (_entries[index].Line, _entries[index].Problem);

    /// <summary>Puts line <paramref name="index"/> back into a <see cref="LogRow"/>.</summary>
    public void CopyTo(int index, LogRow row)
    {
        ref readonly var entry = ref _entries[index];
        row.Time = entry.Time;
        row.RequestId = entry.RequestId;
        row.Row = entry.Row;
        row.Model = entry.Model;
        row.Version = entry.Version;
        row.Rejected = entry.Rejected;
        row.Status = entry.Status;
        row.PredictedLabel = entry.Label;
        row.PredictedValue = entry.Value;
        row.Reason = entry.Reason;
        row.RejectedRows = entry.RejectedRows;
        Array.Copy(_numbers, index * numericColumns, row.Numbers, 0, numericColumns);
        Array.Copy(_categories, index * categoricalColumns, row.Categories, 0, categoricalColumns);
    }

    private readonly record struct Entry(
        LineKind Kind, int Line, string? Problem, DateTimeOffset Time, string? RequestId, int Row, string? Model, string? Version,
        bool Rejected, int Status, string? Label, double Value, string? Reason, int RejectedRows);
}
