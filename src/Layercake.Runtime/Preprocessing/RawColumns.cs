namespace Layercake.Runtime.Preprocessing;

/// <summary>
/// A batch of raw values as a caller sent them, column by column: numbers as doubles (NaN is a missing value, since
/// a number that arrives is checked to be finite) and text as strings (null is missing). One array per column
/// rather than a dictionary per row, so a 1,000-row request costs a handful of allocations and no boxing.
/// </summary>
public sealed class RawColumns
{
    private readonly double[]?[] _numbers;
    private readonly string?[]?[] _texts;
    private readonly bool[][] _set;
    private int _capacity;

    public RawColumns(RawColumnLayout layout, int capacity = 1)
    {
        Layout = layout;
        _capacity = Math.Max(1, capacity);
        _numbers = new double[]?[layout.Count];
        _texts = new string?[]?[layout.Count];
        _set = new bool[layout.Count][];
        for (var c = 0; c < layout.Count; c++)
        {
            if (layout.Numeric[c])
            {
                _numbers[c] = new double[_capacity];
            }
            else
            {
                _texts[c] = new string?[_capacity];
            }

            _set[c] = new bool[_capacity];
        }
    }

    public RawColumnLayout Layout { get; }

    /// <summary>How many columns of the request the model does not take, which were skipped (MLflow's protocol only).</summary>
    public int IgnoredColumns { get; set; }

    /// <summary>One more than the highest row a value was set in.</summary>
    public int RowCount { get; private set; }

    /// <summary>A numeric column's values (at least <see cref="RowCount"/> long; NaN is missing).</summary>
    public ReadOnlySpan<double> Numbers(int column) => (_numbers[column] ?? throw NotOf(column, "numeric")).AsSpan(0, RowCount);

    /// <summary>A text column's values (null is missing).</summary>
    public ReadOnlySpan<string?> Texts(int column) => (_texts[column] ?? throw NotOf(column, "text")).AsSpan(0, RowCount);

    /// <summary>Whether the row has a value (missing included) for the column.</summary>
    public bool IsSet(int row, int column) => row < RowCount && _set[column][row];

    /// <summary>One value as an object: a double, a string, or null when missing. For reading a value or two, not a batch.</summary>
    public object? Value(int row, string column)
    {
        var c = Layout.IndexOf(column);
        if (c < 0 || row >= RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(column), $"No value at row {row}, column '{column}'.");
        }

        return Layout.Numeric[c] ? double.IsNaN(Numbers(c)[row]) ? null : Numbers(c)[row] : Texts(c)[row];
    }

    /// <param name="value">Null is a missing value.</param>
    public void SetNumber(int row, int column, double? value)
    {
        Ensure(row);
        (_numbers[column] ?? throw NotOf(column, "numeric"))[row] = value ?? double.NaN;
        _set[column][row] = true;
    }

    /// <param name="value">Null is a missing value.</param>
    public void SetText(int row, int column, string? value)
    {
        Ensure(row);
        (_texts[column] ?? throw NotOf(column, "text"))[row] = value;
        _set[column][row] = true;
    }

    /// <summary>Grows the columns ahead of rows a request declares, so they are allocated once.</summary>
    public void Reserve(int rows)
    {
        if (rows > _capacity)
        {
            Grow(rows);
        }
    }

    /// <summary>Rows given as dictionaries of column name to value (see <see cref="RawValue"/>); an absent column is missing.</summary>
    public static RawColumns FromRows(RawColumnLayout layout, IReadOnlyList<IReadOnlyDictionary<string, object?>> rows)
    {
        var columns = new RawColumns(layout, rows.Count);
        for (var c = 0; c < layout.Count; c++)
        {
            var name = layout.Names[c];
            for (var r = 0; r < rows.Count; r++)
            {
                rows[r].TryGetValue(name, out var raw);
                if (layout.Numeric[c])
                {
                    columns.SetNumber(r, c, RawValue.Number(raw, r, name));
                }
                else
                {
                    columns.SetText(r, c, RawValue.Text(raw));
                }
            }
        }

        return columns;
    }

    private void Ensure(int row)
    {
        if (row >= _capacity)
        {
            Grow(Math.Max(row + 1, _capacity * 2));
        }

        if (row >= RowCount)
        {
            RowCount = row + 1;
        }
    }

    private void Grow(int capacity)
    {
        for (var c = 0; c < Layout.Count; c++)
        {
            if (_numbers[c] is { } numbers)
            {
                Array.Resize(ref numbers, capacity);
                _numbers[c] = numbers;
            }

            if (_texts[c] is { } texts)
            {
                Array.Resize(ref texts, capacity);
                _texts[c] = texts;
            }

            Array.Resize(ref _set[c], capacity);
        }

        _capacity = capacity;
    }

    private InvalidOperationException NotOf(int column, string kind) => new($"Column '{Layout.Names[column]}' is not a {kind} column.");
}
