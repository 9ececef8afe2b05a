namespace Layercake.Batch.Reading;

/// <summary>
/// One column's text values as shared strings: a categorical column holds a few values over millions of rows, and a
/// string per row was most of what reading allocated (and so of the full collections). Past <see cref="Limit"/> distinct
/// values (an id column), further values get strings of their own.
/// </summary>
internal sealed class TextInterner
{
    private const int Limit = 4096;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TextInterner() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> text)
    {
        if (_lookup.TryGetValue(text, out var known))
        {
            return known;
        }

        var fresh = text.ToString();
        if (_strings.Count < Limit)
        {
            _strings.Add(fresh, fresh);
        }

        return fresh;
    }
}
