using System.Diagnostics;
using System.Text;

namespace Layercake.Tests.TestSupport;

/// <summary>
/// Runs the build host as its own process, in a working directory of the test's, the way
/// <c>./build.sh</c> runs it: same arguments, same exit code, same output.
/// </summary>
public static class BuildRunner
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static Task<Result> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, new Dictionary<string, string>(), args);

    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var result = await RunProcessAsync(StartInfo(workingDirectory, environment, args), "The build", TimeSpan.FromMinutes(10));
        TestContext.Out.WriteLine(result.All);
        return result;
    }

    /// <summary>How the build host is started, for a test that runs (or kills) the process itself.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
        var dll = Path.Combine(Repository.Root, "build", "bin", configuration, "net10.0", "Layercake.Build.dll");
        Assert.That(File.Exists(dll), $"The build host was not built at {dll}");

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A test run under GitHub Actions must not reach the real repository: GitHub settings come only from the test.
        foreach (var inherited in new[] { "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL", "GITHUB_EVENT_PATH", "GITHUB_WORKFLOW" })
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Runs a prepared process to its end, collecting both streams; fails the test past the timeout.</summary>
    public static async Task<Result> RunProcessAsync(ProcessStartInfo start, string description, TimeSpan limit)
    {
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{description} did not finish within {limit.TotalMinutes:0} minutes. Output so far:\n{output}\n{error}");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString(), error.ToString());
    }
}
