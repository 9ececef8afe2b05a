using System.Runtime.CompilerServices;
using System.Text;
using Layercake.Serving.Inference;

namespace Layercake.Serving.Protocols.Mlflow;

/// <summary>
/// RFC 4180 records for the <c>text/csv</c> content type: quoted fields may hold commas, quotes ("") and
/// line breaks; LF and CRLF both end a record. Small on purpose: the server takes no CSV library.
/// </summary>
internal static class CsvLines
{
    /// <summary>A record's fields and the physical line it starts on.</summary>
    public sealed record Record(int Line, IReadOnlyList<string> Fields);

    public static IReadOnlyList<Record> Parse(string text)
    {
        var records = new List<Record>();
        var start = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                quoted = InQuotes(text, ref i, field, ref line);
                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add(new Record(start, fields));
                    fields = [];
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            throw RequestException.BadRequest($"text/csv line {line}: a quoted field is not closed");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(new Record(start, fields));
        }

        return records.Where(r => !(r.Fields.Count == 1 && r.Fields[0].Length == 0)).ToArray();
    }

    /// <summary>One character inside a quoted field (a doubled quote is one quote); false when it closed the field.</summary>
    // Once per character of a quoted field, so inlined back into the character loop.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool InQuotes(string text, ref int i, StringBuilder field, ref int line)
    {
        var c = text[i];
        if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
        {
            field.Append('"');
            i++;
        }
        else if (c == '"')
        {
            return false;
        }
        else
        {
            line += c == '\n' ? 1 : 0;
            field.Append(c);
        }

        return true;
    }
}
