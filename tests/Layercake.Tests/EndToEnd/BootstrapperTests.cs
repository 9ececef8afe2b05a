using System.Diagnostics;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.EndToEnd;

/// <summary>
/// The two bootstrappers, <c>build.sh</c> and <c>pwsh ./build.ps1</c>, run the same way on a copy of the repository
/// (the sources the build compiles, its scripts, pipelines and data; no build output): same SDK check, same quiet
/// compile of the build host, same arguments to it, same outcome. Needs PowerShell 7 (<c>pwsh</c> on PATH or as a
/// .NET global tool); .ci/run installs it, so there these tests run.
/// </summary>
[Category(Categories.Integration)]
[NonParallelizable]
public sealed class BootstrapperTests
{
    [Test]
    public async Task Build_ps1_runs_Prepare_in_a_fresh_copy_and_fails_a_mistyped_target_like_build_sh()
    {
        var pwsh = FindPwsh();
        using var copy = RepositoryCopy.Create();

        // build.ps1 first: it compiles the build host in a copy that has never been built.
        var powershell = await RunAsync(copy.Path, pwsh, "-NoProfile", "./build.ps1", "--target=Prepare");
        Assert.That(powershell.ExitCode, Is.EqualTo(0), powershell.All);
        var prepared = copy.File("artifacts/penguins/prepare/prepared.csv");
        Assert.That(File.Exists(prepared), Is.True, powershell.All);
        var byPowerShell = await File.ReadAllBytesAsync(prepared);

        var bash = await RunAsync(copy.Path, "bash", "./build.sh", "--target=Prepare", "--force");
        Assert.That(bash.ExitCode, Is.EqualTo(0), bash.All);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(prepared), Is.EqualTo(byPowerShell), "both bootstrappers prepare the same rows");
            foreach (var result in new[] { powershell, bash })
            {
                Assert.That(result.Output, Does.Contain("Prepare").And.Contain("Succeeded"));
                Assert.That(result.All, Does.Not.Contain("Build succeeded"), "the host's own compile is quiet");
                Assert.That(result.All, Does.Not.Contain("dockerd").And.Not.Contain("Installing Docker"), "Prepare needs no Docker engine");
            }
        });

        // A mistyped target, given as two words: both fail the same way, and hand ensure-docker.sh (here a recorder)
        // the same arguments, which it decides on.
        var ensureDocker = copy.Write("scripts/ensure-docker.sh", "#!/usr/bin/env bash\necho \"$*\" >> ensure-docker.args\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(ensureDocker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var powershellTypo = await RunAsync(copy.Path, pwsh, "-NoProfile", "./build.ps1", "--target", "Nope", "--verbosity=quiet");
        var bashTypo = await RunAsync(copy.Path, "bash", "./build.sh", "--target", "Nope", "--verbosity=quiet");
        Assert.Multiple(() =>
        {
            Assert.That(powershellTypo.ExitCode, Is.EqualTo(bashTypo.ExitCode).And.Not.EqualTo(0));
            Assert.That(powershellTypo.All, Does.Contain("there is no task named 'Nope'"));
            Assert.That(bashTypo.All, Does.Contain("there is no task named 'Nope'"));
            Assert.That(File.ReadAllLines(copy.File("ensure-docker.args")), Is.EqualTo(new[] { "--target Nope --verbosity=quiet", "--target Nope --verbosity=quiet" }));
        });
    }

    [Test]
    public async Task Build_ps1_checks_the_sdk_global_json_asks_for_like_build_sh()
    {
        var pwsh = FindPwsh();
        using var copy = RepositoryCopy.Create();
        File.WriteAllText(copy.File("global.json"), "{\n  \"sdk\": {\n    \"version\": \"98.0.700\",\n    \"rollForward\": \"disable\"\n  }\n}\n");

        var powershell = await RunAsync(copy.Path, pwsh, "-NoProfile", "./build.ps1", "--target=Prepare");
        var bash = await RunAsync(copy.Path, "bash", "./build.sh", "--target=Prepare");

        Assert.Multiple(() =>
        {
            Assert.That(powershell.ExitCode, Is.EqualTo(1), powershell.All);
            Assert.That(bash.ExitCode, Is.EqualTo(1), bash.All);
            Assert.That(powershell.Error, Does.Contain("Layercake needs the .NET SDK 98.0.7xx (see global.json)"));
            Assert.That(bash.Error, Does.Contain("Layercake needs the .NET SDK 98.0.7xx (see global.json)"));
        });
    }

    private static string FindPwsh()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"))
            .SelectMany(d => new[] { Path.Combine(d, "pwsh"), Path.Combine(d, "pwsh.exe") });
        var pwsh = candidates.FirstOrDefault(File.Exists);
        if (pwsh is null)
        {
            Assert.Ignore("PowerShell 7 (pwsh) is not installed, so build.ps1 cannot run here; install it with 'dotnet tool install --global PowerShell' (.ci/run does).");
        }

        return pwsh!;
    }

    private static async Task<BuildRunner.Result> RunAsync(string workingDirectory, string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The nested dotnet build must find its own MSBuild, not the test host's; GitHub settings come only from a test.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("GITHUB_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }

        var result = await BuildRunner.RunProcessAsync(start, $"{command} {string.Join(' ', args)}", TimeSpan.FromMinutes(10));
        TestContext.Out.WriteLine($"$ {command} {string.Join(' ', args)} (exit {result.ExitCode})\n{result.All}");
        return result;
    }
}
