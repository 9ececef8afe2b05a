using Cake.Core;

namespace Layercake.Build.Frosting.Internal;

/// <summary>
/// Cake's console without colour: Cake's log writes ANSI codes whenever the terminal type allows, even into a pipe,
/// so when <see cref="ConsoleOutput.Plain"/> this claims no ANSI support and ignores colour changes.
/// </summary>
internal sealed class PlainConsole(IConsole inner) : IConsole
{
    public ConsoleColor ForegroundColor { get => inner.ForegroundColor; set { } }
    public ConsoleColor BackgroundColor { get => inner.BackgroundColor; set { } }
    public bool SupportAnsiEscapeCodes => false;
    public void Write(string format, params object[] arg) => inner.Write(format, arg);
    public void Write(string value) => inner.Write(value);
    public void WriteLine(string format, params object[] arg) => inner.WriteLine(format, arg);
    public void WriteLine(string value) => inner.WriteLine(value);
    public void WriteError(string format, params object[] arg) => inner.WriteError(format, arg);
    public void WriteError(string value) => inner.WriteError(value);
    public void WriteErrorLine(string format, params object[] arg) => inner.WriteErrorLine(format, arg);
    public void WriteErrorLine(string value) => inner.WriteErrorLine(value);
    public void ResetColor()
    {
    }
}
