using Microsoft.Extensions.Logging;

namespace Layercake.Tests.TestSupport;

/// <summary>Cancels a run when a log line starts with a given text, as Ctrl+C at that moment would.</summary>
public sealed class CancellingLogger(string prefix, CancellationTokenSource cancel) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (formatter(state, exception).StartsWith(prefix, StringComparison.Ordinal))
        {
            cancel.Cancel();
        }
    }
}
