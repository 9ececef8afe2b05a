namespace Layercake.Shared.Reporting;

/// <summary>
/// A Markdown table with its columns padded, so the same text reads well in a terminal and renders in
/// GitHub job summaries and model cards.
/// </summary>
internal static class MarkdownTable
{
    public static string Render(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows,
        IReadOnlySet<int>? rightAligned = null)
    {
        var all = rows.ToList();
        var widths = header.Select((h, i) => Math.Max(3, Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length)))).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            "| " + string.Join(" | ",
                cells.Select((c, i) => rightAligned?.Contains(i) == true ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))) + " |";

        var separator = "| "
            + string.Join(" | ",
            widths.Select((w, i) => rightAligned?.Contains(i) == true ? new string('-', w - 1) + ":" : new string('-', w))) + " |";
        return string.Join('\n', new[] { Line(header), separator }.Concat(all.Select(Line))) + "\n";
    }
}
