using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Layercake.Tests.Serving.Security;

/// <summary>Every line a server logs at any level, with its properties and exception, to search for secrets.</summary>
internal sealed class LogText : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public LogText() => Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

    public Serilog.ILogger Logger { get; }

    public string Text => string.Join('\n', _lines);

    public void Emit(LogEvent logEvent) =>
        _lines.Enqueue(
            $"{logEvent.RenderMessage()} {string.Join(' ', logEvent.Properties.Select(p => $"{p.Key}={p.Value}"))} {logEvent.Exception}");
}
