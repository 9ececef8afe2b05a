using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Layercake.Development.Data.Tables;

/// <summary>
/// Rows of a <see cref="TypedTable"/> (all, or those an index array picks) as the raw rows the cleaning takes, made
/// on demand: a million rows never exist as a million dictionaries at once, and a fold's rows are not copied.
/// </summary>
internal sealed class TypedRows(TypedTable table, int[]? rows = null) : IReadOnlyList<IReadOnlyDictionary<string, object?>>
{
    public int Count => rows?.Length ?? table.RowCount;

    public IReadOnlyDictionary<string, object?> this[int index] => new Row(table, rows is null ? index : rows[index]);

    public IEnumerator<IReadOnlyDictionary<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One row's cells, looked up in the table's columns when asked for.</summary>
    private sealed class Row(TypedTable table, int row) : IReadOnlyDictionary<string, object?>
    {
        public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => table.Numbers.Keys.Concat(table.Strings.Keys);

        public IEnumerable<object?> Values => Keys.Select(k => this[k]);

        public int Count => table.Numbers.Count + table.Strings.Count;

        public bool ContainsKey(string key) => table.Numbers.ContainsKey(key) || table.Strings.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
        {
            if (table.Numbers.TryGetValue(key, out var numbers))
            {
                value = numbers[row];
                return true;
            }

            if (table.Strings.TryGetValue(key, out var strings))
            {
                value = strings[row];
                return true;
            }

            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Keys.Select(k => new KeyValuePair<string, object?>(k, this[k]))
            .GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
