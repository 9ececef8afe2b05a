using Cake.Core.Diagnostics;
using Layercake.Build.Frosting;
using Spectre.Console;

namespace Layercake.Build;

/// <summary>
/// Writes the library's Markdown tables to the console. In a terminal each pipe table becomes a Spectre table, with
/// the winner (a row with " * " or "★") in green and failures (a cell FAIL, or one saying breach) in red. Redirected
/// output gets the Markdown itself: Spectre would wrap a wide table at 80 columns there, and Markdown is what CI logs
/// and issues paste well. Nothing is written at --verbosity=quiet. The library stays free of Spectre and Cake.
/// </summary>
public static class ConsoleReport
{
    public static void Write(BuildContext context, Layercake.Shared.Reporting.ReportTable table) =>
        Write(context, table.Title, table.Markdown);

    public static void Write(BuildContext context, string title, string markdown)
    {
        if (context.Log.Verbosity < Verbosity.Minimal)
        {
            return;
        }

        if (Console.IsOutputRedirected)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine(title);
            Console.Out.WriteLine(markdown);
            return;
        }

        var console = ConsoleOutput.Console;
        console.WriteLine();
        console.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
        var lines = markdown.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (IsRow(lines[i]) && i + 1 < lines.Length && IsSeparator(lines[i + 1]))
            {
                var end = i + 2;
                while (end < lines.Length && IsRow(lines[end]))
                {
                    end++;
                }

                console.Write(Table(Cells(lines[i]), Cells(lines[i + 1]), lines[(i + 2)..end].Select(Cells)));
                i = end - 1;
            }
            else if (lines[i].Length > 0 || i < lines.Length - 1)
            {
                console.WriteLine(lines[i]);
            }
        }
    }

    private static Table Table(string[] header, string[] separator, IEnumerable<string[]> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey);
        for (var c = 0; c < header.Length; c++)
        {
            var column = new TableColumn(new Markup($"[bold]{Markup.Escape(header[c])}[/]"));
            table.AddColumn(c < separator.Length && separator[c].EndsWith(':') ? column.RightAligned() : column);
        }

        foreach (var row in rows)
        {
            var winner = row.Any(cell => cell.EndsWith(" *", StringComparison.Ordinal) || cell.Contains('★'));
            table.AddRow(row.Take(header.Length).Select(cell => (Spectre.Console.Rendering.IRenderable)new Markup(Styled(cell, winner)))
                .ToArray());
        }

        return table;
    }

    private static string Styled(string cell, bool winner)
    {
        // Markdown bold ("**yes**", a drifted column) marks what the library wants noticed.
        var bold = cell.Length > 4 && cell.StartsWith("**", StringComparison.Ordinal) && cell.EndsWith("**", StringComparison.Ordinal);
        var text = Markup.Escape(bold ? cell[2..^2] : cell);
        if (bold || Bad.Contains(cell) || cell.Contains("breach", StringComparison.OrdinalIgnoreCase))
        {
            return $"[bold red]{text}[/]";
        }

        if (Good.Contains(cell))
        {
            return $"[green]{text}[/]";
        }

        return winner ? $"[bold green]{text}[/]" : text;
    }

    private static readonly HashSet<string> Bad =
        new(StringComparer.OrdinalIgnoreCase) { "FAIL", "failed", "failure", "error", "unhealthy", "exited", "dead" };

    private static readonly HashSet<string> Good =
        new(StringComparer.OrdinalIgnoreCase) { "pass", "passed", "healthy", "success", "running" };

    private static bool IsRow(string line) => line.StartsWith('|') && line.TrimEnd().EndsWith('|');

    private static bool IsSeparator(string line) => IsRow(line) && Cells(line)
        .All(c => c.Trim(':').Length > 0 && c.Trim(':').All(ch => ch == '-'));

    private static string[] Cells(string line) => line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
}
