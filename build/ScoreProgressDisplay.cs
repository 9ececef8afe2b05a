using System.Globalization;
using Layercake.Build.Frosting;
using Layercake.Batch;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Layercake.Build;

/// <summary>
/// A scoring job's progress: in a terminal a live line with rows, rows/s and rejects; elsewhere (a CI log, a cron mail)
/// a plain line every <see cref="PlainInterval"/>, so a long job shows it is alive without flooding the log.
/// </summary>
public static class ScoreProgressDisplay
{
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);

    public static Task<ScoreReport> RunAsync(BuildContext context, ILogger logger, Func<IProgress<ScoreProgress>, Task<ScoreReport>> job)
    {
        if (ConsoleOutput.Plain || !ConsoleOutput.Console.Profile.Capabilities.Interactive
            || context.Log.Verbosity < Cake.Core.Diagnostics.Verbosity.Minimal)
        {
            var last = TimeSpan.Zero;
            return job(new Progress(p =>
            {
                if (p.Elapsed - last >= PlainInterval)
                {
                    last = p.Elapsed;
                    logger.LogInformation("{Line}", Line(p));
                }
            }));
        }

        return ConsoleOutput.Console.Status()
            .Spinner(Spinner.Known.Dots)
            .SpinnerStyle(Style.Parse("yellow"))
            .StartAsync("Scoring…", status => job(new Progress(p => status.Status(Markup.Escape(Line(p))))));
    }

    private static string Line(ScoreProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"Scoring: {p.RowsRead:N0} rows read, {p.RowsScored:N0} scored, {p.Rejects:N0} rejected, "
        + $"{p.RowsPerSecond:N0} rows/s, {p.Elapsed.TotalSeconds:F0} s");

    /// <summary>Reports on the job's own thread: <see cref="Progress{T}"/> would post to a context the build does not have.</summary>
    private sealed class Progress(Action<ScoreProgress> report) : IProgress<ScoreProgress>
    {
        public void Report(ScoreProgress value) => report(value);
    }
}
