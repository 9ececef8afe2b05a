using Cake.Core.Diagnostics;
using Layercake.Build.Frosting;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;
using Serilog.Sinks.SystemConsole.Themes;

namespace Layercake.Build;

/// <summary>
/// The build's Serilog logger: the console at the build's verbosity, and a JSON log per run. Made on first use, so
/// --tree, --description and --help, which log nothing, leave no empty log file behind; the container disposes it,
/// which flushes the file.
/// </summary>
public sealed class BuildLogging(BuildSettings settings, ICakeLog cakeLog) : IDisposable
{
    private const string ConsoleTemplate = "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}";

    /// <summary>The event a failed build is logged with, for the JSON log.</summary>
    public const string FailureTemplate = "Build failed: {Message}";
    private Serilog.Core.Logger? _logger;
    private SerilogLoggerFactory? _factory;

    public Serilog.ILogger Serilog => _logger ??= Create();

    public Microsoft.Extensions.Logging.ILoggerFactory Factory => _factory ??= new SerilogLoggerFactory(Serilog, dispose: false);

    public void Dispose()
    {
        _factory?.Dispose();
        _logger?.Dispose();
    }

    private Serilog.Core.Logger Create() => new LoggerConfiguration()
        .MinimumLevel.Is(LevelFor(cakeLog.Verbosity))
        // Exceptions go to the JSON log only: the host prints the error message, and --verbosity=diagnostic the stack.
        // The host prints a failed build's error once, on standard error: the console leaves out the log's copy of it.
        .WriteTo.Logger(console => _ = (ConsoleOutput.Plain
            ? console.WriteTo.Console(outputTemplate: ConsoleTemplate, theme: ConsoleTheme.None)
            : console.WriteTo.Sink(new SpectreLogSink(ConsoleTemplate)))
            .Filter.ByExcluding(e => e.MessageTemplate.Text == FailureTemplate))
        .WriteTo.File(new CompactJsonFormatter(), settings.LogFile)
        .CreateLogger();

    private static LogEventLevel LevelFor(Verbosity verbosity) => verbosity switch
    {
        Verbosity.Quiet => LogEventLevel.Error,
        Verbosity.Minimal => LogEventLevel.Warning,
        Verbosity.Normal => LogEventLevel.Information,
        Verbosity.Verbose => LogEventLevel.Debug,
        _ => LogEventLevel.Verbose,
    };
}
