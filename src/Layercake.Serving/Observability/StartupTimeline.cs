using System.Collections.Concurrent;
using System.Diagnostics;

namespace Layercake.Serving.Observability;

/// <summary>
/// Where a start's time goes, logged once when the server is ready, so the phases a fast start has to cut are
/// measured rather than guessed: phases that run in parallel (the model loads while the web host is built) are
/// each timed on their own, and the total is from the first line of <c>Main</c> to Kestrel listening.
/// </summary>
internal sealed class StartupTimeline
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<StartupPhase> _phases = new();

    /// <summary>The wall-clock moment <c>Main</c> began, which a benchmark on the same kernel can set against <c>docker run</c>.</summary>
    public DateTimeOffset MainStarted { get; } = TimeProvider.System.GetUtcNow();

    /// <summary>Milliseconds from the kernel starting the process to <c>Main</c> (the runtime's own start), at the kernel's 10 ms
    /// tick.</summary>
    public double ProcessToMainMilliseconds { get; } = ProcessAge();

    public IEnumerable<StartupPhase> Phases => _phases;

    public double ElapsedMilliseconds => _clock.Elapsed.TotalMilliseconds;

    public T Time<T>(string phase, Func<T> work)
    {
        var started = _clock.Elapsed;
        var result = work();
        _phases.Enqueue(new StartupPhase(phase, started.TotalMilliseconds, (_clock.Elapsed - started).TotalMilliseconds));
        return result;
    }

    public void Time(string phase, Action work) => Time(phase, () =>
    {
        work();
        return 0;
    });

    /// <summary>Records a phase that began <paramref name="startedMilliseconds"/> after <c>Main</c> and ends now.</summary>
    public void Record(string phase, double startedMilliseconds) =>
        _phases.Enqueue(new StartupPhase(phase, startedMilliseconds, ElapsedMilliseconds - startedMilliseconds));

    public string Describe() =>
        string.Join(", ", _phases.OrderBy(p => p.StartedMilliseconds)
        .Select(p => $"{p.Name} {p.Milliseconds:0.0} ms (from {p.StartedMilliseconds:0.0})"));

    private static double ProcessAge()
    {
        try
        {
            using var self = Process.GetCurrentProcess();
            return Math.Max(0, (TimeProvider.System.GetLocalNow().DateTime - self.StartTime).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return double.NaN;
        }
    }
}
