using System.Globalization;
using Layercake.Development.Data.Tables;

namespace Layercake.Development.Data.Sources;

/// <summary>
/// One column of a source table as it is read, held compactly so that millions of rows fit in bounded memory. Text is
/// interned per column: each cell is an index into the column's distinct values (4 bytes a cell), so a categorical of
/// 300 airports costs 300 strings, and schema inference and number parsing look at each distinct value once. A column
/// with more distinct values than <see cref="InternLimit"/> turns into numbers (8 bytes a cell) when every value so far
/// is one, keeping the text of the few cells that are not; otherwise into plain text cells. A typed source (Parquet,
/// a query) adds numbers directly, without formatting them as text.
/// </summary>
internal sealed class SourceColumn
{
    public const int InternLimit = 1 << 16;
    private const int Missing = -1;

    private int[]? _codes = new int[16];
    private List<string>? _distinct = [];
    private Dictionary<string, int>? _index = new(StringComparer.Ordinal);
    private double[]? _numbers;
    // Cells of a number column that are not a finite float32-range number, by row, as their text: validation names them.
    private Dictionary<int, string>? _notNumbers;
    private string?[]? _text;
    private double[]? _parsed;

    public int Count { get; private set; }

    /// <summary>Whether the column holds numbers rather than text (a typed source's numbers, or many distinct numbers).</summary>
    public bool HoldsNumbers => _numbers is not null;

    /// <summary>Adds a cell as text; empty is a missing value.</summary>
    public void Add(string text)
    {
        if (_codes is { } codes)
        {
            var code = Missing;
            if (text.Length > 0 && !_index!.TryGetValue(text, out code))
            {
                if (_distinct!.Count >= InternLimit)
                {
                    LeaveInterning();
                    Add(text);
                    return;
                }

                code = _distinct.Count;
                _distinct.Add(text);
                _index[text] = code;
            }

            Grow(ref codes)[Count++] = code;
            _codes = codes;
            return;
        }

        if (_numbers is not null)
        {
            if (text.Length == 0)
            {
                AddMissing();
            }
            else if (TryNumber(text, out var value))
            {
                AddNumber(value);
            }
            else
            {
                (_notNumbers ??= [])[Count] = text;
                Append(double.NaN);
            }

            return;
        }

        var cells = _text!;
        Grow(ref cells)[Count++] = text.Length == 0 ? null : text;
        _text = cells;
    }

    /// <summary>Adds a typed number (NaN and infinities are kept as their text, for validation to name). Fresh columns become number
    /// columns.</summary>
    public void AddNumber(double value)
    {
        if (!BecomeNumbers())
        {
            Add(value.ToString("R", CultureInfo.InvariantCulture));
            return;
        }

        if (!IsPlainNumber(value))
        {
            (_notNumbers ??= [])[Count] = value.ToString("R", CultureInfo.InvariantCulture);
            value = double.NaN;
        }

        Append(value);
    }

    /// <summary>Adds a missing value to a typed column.</summary>
    public void AddMissing()
    {
        if (_numbers is null)
        {
            Add("");
            return;
        }

        Append(double.NaN);
    }

    /// <summary>A fresh column becomes a number column; one that holds text already stays text.</summary>
    public bool BecomeNumbers()
    {
        if (_numbers is null && Count == 0)
        {
            _numbers = new double[16];
            _codes = null;
            _distinct = null;
            _index = null;
        }

        return _numbers is not null;
    }

    private void Append(double value)
    {
        var numbers = _numbers!;
        Grow(ref numbers)[Count++] = value;
        _numbers = numbers;
    }

    public bool IsMissing(int row) =>
        _codes is { } codes ? codes[row] == Missing
        : _numbers is { } numbers ? double.IsNaN(numbers[row]) && _notNumbers?.ContainsKey(row) != true
        : _text![row] is null;

    /// <summary>The cell's text (a shared instance per distinct value while interned), or null where missing.</summary>
    public string? Text(int row)
    {
        if (_codes is { } codes)
        {
            return codes[row] == Missing ? null : _distinct![codes[row]];
        }

        if (_numbers is { } numbers)
        {
            return !double.IsNaN(numbers[row]) ? numbers[row].ToString("R", CultureInfo.InvariantCulture)
                : _notNumbers?.GetValueOrDefault(row);
        }

        return _text![row];
    }

    /// <summary>The cell as a finite number within float32 range; false where it is missing or is not such a number.</summary>
    public bool TryGetNumber(int row, out double value)
    {
        if (_codes is { } codes)
        {
            value = codes[row] == Missing ? double.NaN : Parsed()[codes[row]];
        }
        else if (_numbers is { } numbers)
        {
            value = numbers[row];
        }
        else if (_text![row] is not { } text || !TryNumber(text, out value))
        {
            value = double.NaN;
        }

        return !double.IsNaN(value);
    }

    /// <summary>
    /// Each distinct present value with its number of cells, in order of first appearance; null for a column of many
    /// distinct numbers, where counting text would cost more than it tells.
    /// </summary>
    public IReadOnlyList<(string Value, int Count)>? DistinctCounts()
    {
        if (_codes is { } codes)
        {
            var counts = new int[_distinct!.Count];
            for (var i = 0; i < Count; i++)
            {
                if (codes[i] != Missing)
                {
                    counts[codes[i]]++;
                }
            }

            return _distinct.Select((value, code) => (value, counts[code])).ToArray();
        }

        if (_numbers is not null)
        {
            return null;
        }

        return ValueCounts.Of(_text!.Take(Count).OfType<string>());
    }

    /// <summary>A number column's present cells, and how many of them are not numbers at all.</summary>
    public (int Present, int NotNumbers) NumberShare()
    {
        var notNumbers = _notNumbers?.Values.Count(t => !SchemaInferrer.IsNumber(t)) ?? 0;
        var missing = 0;
        for (var i = 0; i < Count; i++)
        {
            missing += IsMissing(i) ? 1 : 0;
        }

        return (Count - missing, notNumbers);
    }

    /// <summary>Too many distinct values to intern: numbers if every value so far is one, plain text otherwise.</summary>
    private void LeaveInterning()
    {
        var codes = _codes!;
        var distinct = _distinct!;
        var parsed = new double[distinct.Count];
        var allNumbers = true;
        for (var i = 0; i < distinct.Count && allNumbers; i++)
        {
            allNumbers = TryNumber(distinct[i], out parsed[i]);
        }

        _codes = null;
        _index = null;
        _distinct = null;
        _parsed = null;
        if (allNumbers)
        {
            _numbers = new double[Math.Max(16, codes.Length)];
            for (var i = 0; i < Count; i++)
            {
                _numbers[i] = codes[i] == Missing ? double.NaN : parsed[codes[i]];
            }

            return;
        }

        _text = new string?[Math.Max(16, codes.Length)];
        for (var i = 0; i < Count; i++)
        {
            _text[i] = codes[i] == Missing ? null : distinct[codes[i]];
        }
    }

    private double[] Parsed()
    {
        if (_parsed is null || _parsed.Length != _distinct!.Count)
        {
            _parsed = _distinct!.Select(t => TryNumber(t, out var value) ? value : double.NaN).ToArray();
        }

        return _parsed;
    }

    private static bool TryNumber(string text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && IsPlainNumber(value))
        {
            return true;
        }

        value = double.NaN;
        return false;
    }

    private static bool IsPlainNumber(double value) => double.IsFinite(value) && Math.Abs(value) <= float.MaxValue;

    private T[] Grow<T>(ref T[] cells)
    {
        if (Count == cells.Length)
        {
            Array.Resize(ref cells, cells.Length * 2);
        }

        return cells;
    }
}
