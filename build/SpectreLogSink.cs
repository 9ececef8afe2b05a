using Layercake.Build.Frosting;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Spectre.Console;

namespace Layercake.Build;

/// <summary>
/// In a terminal, log lines go through the same Spectre console as the tables and the spinner: Spectre keeps a live
/// display (<see cref="LongStep"/>) below what its console writes, whereas a line written past it to Console.Out would
/// be overwritten by the next frame. The level is coloured; the text is written as is, never parsed as markup.
/// </summary>
public sealed class SpectreLogSink(string outputTemplate) : ILogEventSink
{
    private readonly MessageTemplateTextFormatter _formatter = new(outputTemplate);

    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter();
        _formatter.Format(logEvent, text);
        var colour = logEvent.Level switch
        {
            >= LogEventLevel.Error => Color.Red,
            LogEventLevel.Warning => Color.Yellow,
            LogEventLevel.Information => Color.Default,
            _ => Color.Grey,
        };
        lock (_formatter)
        {
            ConsoleOutput.Console.Write(new Text(text.ToString(), new Style(colour)));
        }
    }
}
