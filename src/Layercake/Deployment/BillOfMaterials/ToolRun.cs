using System.Diagnostics;
using System.Text;

namespace Layercake.Deployment.BillOfMaterials;

/// <summary>A short-lived program run to its end, both streams kept: <c>dotnet tool</c>, <c>dpkg-query</c>.</summary>
internal static class ToolRun
{
    public sealed record Outcome(int ExitCode, string Output, string Error);

    /// <returns>Null when the program could not be started at all (not installed).</returns>
    public static async Task<Outcome?> RunAsync(
        string program, IReadOnlyList<string> arguments, string directory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Outcome(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>The last lines of what a failed run said, for an error message.</summary>
    public static string Tail(Outcome result, int lines)
    {
        var all = (result.Output + "\n" + result.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new StringBuilder().AppendJoin('\n', all.TakeLast(lines)).ToString();
    }
}
