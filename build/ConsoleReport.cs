using Cake.Core.Diagnostics;

namespace Layercake.Build;

/// <summary>
/// Writes tables to the console as plain text. Cake's log colours format arguments, which would paint a
/// whole table; a table is the output here, so it goes straight to the terminal, unless --verbosity=quiet.
/// </summary>
public static class ConsoleReport
{
    public static void Write(BuildContext context, string title, string table)
    {
        if (context.Log.Verbosity >= Verbosity.Minimal)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine(title);
            Console.Out.WriteLine(table);
        }
    }
}
