using System.Diagnostics;

namespace Layercake.Management.Reproduction;

/// <summary>
/// Runs a program to its end, its output kept (and appended to a log file when one is given). Cancelling kills the
/// whole process tree: a child build left running would keep training after Ctrl+C.
/// </summary>
internal static class ChildProcess
{
    public sealed record Result(int ExitCode, IReadOnlyList<string> Output)
    {
        public string Tail(int lines) => string.Join('\n', Output.TakeLast(lines));
    }

    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    public static async Task<Result> RunAsync(string program, IReadOnlyList<string> arguments, string directory, IReadOnlyDictionary<string,
        string?>? environment, string? logFile, CancellationToken cancellationToken)
    {
        var start = StartInfo(program, arguments, directory, environment);
        var output = new List<string>();
        await using var log = logFile is null ? null : new StreamWriter(logFile, append: true) { AutoFlush = true };
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(line);
                log?.WriteLine(line);
            }
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{program}' could not be started in {directory}: {ex.Message}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // The parameterless wait returns only once the redirected output has been read to its end.
        process.WaitForExit();
        lock (output)
        {
            return new Result(process.ExitCode, output.ToArray());
        }
    }

    private static ProcessStartInfo StartInfo(
        string program, IReadOnlyList<string> arguments, string directory, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }
}
