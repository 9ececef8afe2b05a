using Spectre.Console;

namespace Layercake.Build.Frosting;

/// <summary>
/// Whether the console gets colour: not when output goes to a file or a pipe (logs, CI, tests grep it), nor when
/// NO_COLOR is set (no-color.org). Cake's log, Spectre and Serilog each detect this differently, so the host decides once.
/// </summary>
public static class ConsoleOutput
{
    public static bool Plain { get; } = System.Console.IsOutputRedirected
        || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };

    /// <summary>The Spectre console every table, report and progress display writes to; plain text when <see cref="Plain"/>.</summary>
    public static IAnsiConsole Console { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = Plain ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = Plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = Plain ? InteractionSupport.No : InteractionSupport.Detect,
    });
}
