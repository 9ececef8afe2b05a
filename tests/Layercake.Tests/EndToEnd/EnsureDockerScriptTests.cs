using System.Diagnostics;
using System.Runtime.Versioning;
using Layercake.Tests.TestSupport;

namespace Layercake.Tests.EndToEnd;

/// <summary>
/// <c>scripts/ensure-docker.sh</c>, which build.sh and build.ps1 call with their arguments, on a simulated machine:
/// a PATH of its own with fake <c>docker</c>, <c>dockerd</c>, <c>apt-get</c> and <c>id</c>, so nothing is installed
/// or started for real. An engine is started only for targets that need one, installed only on request, and never
/// on a GitHub-hosted runner.
/// </summary>
[Category(Categories.Integration)]
[Platform(Exclude = "Win", Reason = "a bash script")]
[UnsupportedOSPlatform("windows")]
public sealed class EnsureDockerScriptTests
{
    [TestCase("--target=Versions", "--model=penguins")]
    [TestCase("--target=Vresions")]
    [TestCase("--target=Package")]
    [TestCase("--target", "Prepare")]
    [TestCase("--target=Monitor", "--log=predictions")]
    [TestCase("--target=Deploy", "--environment=staging", "--dryrun")]
    [TestCase("--tree")]
    public void A_target_without_docker_touches_no_engine_even_with_the_opt_in(params string[] args)
    {
        using var machine = new Machine(root: true, dockerdInstalled: false);

        var (exitCode, output) = machine.Run(new() { ["LAYERCAKE_INSTALL_DOCKER"] = "1" }, args);

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Is.Empty);
        Assert.That(machine.Calls, Is.Empty);
    }

    [TestCase("--verbosity=quiet")] // no --target: Default
    [TestCase("--target=Test")]
    [TestCase("--target", "smoketest")]
    [TestCase("--target=Release")]
    [TestCase("--target=Status", "--environment=staging")]
    [TestCase("--target=Monitor", "--environment", "production")]
    public void A_docker_target_installs_nothing_without_the_opt_in_and_says_how(params string[] args)
    {
        using var machine = new Machine(root: true, dockerdInstalled: false);

        var (exitCode, output) = machine.Run([], args);

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("set LAYERCAKE_INSTALL_DOCKER=1"));
        Assert.That(machine.Calls, Does.Not.Contain("apt-get"));
    }

    [Test]
    public void With_the_opt_in_as_root_it_installs_docker_io_and_starts_dockerd()
    {
        using var machine = new Machine(root: true, dockerdInstalled: false);

        var (exitCode, output) = machine.Run(new() { ["LAYERCAKE_INSTALL_DOCKER"] = "1" }, "--target=BuildImage");

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(machine.Calls, Does.Contain("apt-get install -y -qq docker.io").And.Contain("dockerd"));
    }

    [Test]
    public void A_github_hosted_runner_never_installs_docker()
    {
        using var machine = new Machine(root: true, dockerdInstalled: false);

        var (exitCode, output) = machine.Run(
            new() { ["LAYERCAKE_INSTALL_DOCKER"] = "1", ["GITHUB_ACTIONS"] = "true", ["RUNNER_ENVIRONMENT"] = "github-hosted" }, "--target=Test");

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("GitHub-hosted runner"));
        Assert.That(machine.Calls, Is.Empty);
    }

    [Test]
    public void An_installed_dockerd_is_started_as_root_without_any_opt_in()
    {
        using var machine = new Machine(root: true, dockerdInstalled: true);

        var (exitCode, output) = machine.Run([], "--target=Deploy", "--environment=staging");

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("Starting dockerd"));
        Assert.That(machine.Calls, Is.EqualTo("dockerd\n"));
    }

    [Test]
    public void Without_root_it_only_advises()
    {
        using var machine = new Machine(root: false, dockerdInstalled: true);

        var (exitCode, output) = machine.Run(new() { ["LAYERCAKE_INSTALL_DOCKER"] = "1" }, "--target=Test");

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("warning: no Docker engine answers"));
        Assert.That(machine.Calls, Is.Empty);
    }

    /// <summary>A folder that is the whole PATH: the few real tools the script uses, and fakes that log their calls.</summary>
    private sealed class Machine : IDisposable
    {
        private readonly TempDirectory _directory = new();

        public Machine(bool root, bool dockerdInstalled)
        {
            foreach (var tool in new[] { "cat", "tr", "seq", "sleep", "tail", "nohup", "cp", "touch" })
            {
                var real = new[] { "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).First(File.Exists);
                File.CreateSymbolicLink(Path.Combine(Bin, tool), real);
            }

            // The engine answers once the fake dockerd has run.
            Fake("docker", $"[ -f '{Bin}/running' ]");
            Fake("id", $"echo {(root ? 0 : 1000)}");
            Fake("apt-get", $"echo \"apt-get $*\" >> '{CallLog}'\ncase \"$*\" in *install*) cp '{Bin}/dockerd.pending' '{Bin}/dockerd' ;; esac");
            Fake(dockerdInstalled ? "dockerd" : "dockerd.pending", $"echo dockerd >> '{CallLog}'\ntouch '{Bin}/running'");
        }

        private string Bin => _directory.Path;

        private string CallLog => Path.Combine(Bin, "calls.log");

        /// <summary>What the fakes were asked to do, one line each; apt-get update is left out.</summary>
        public string Calls => File.Exists(CallLog)
            ? string.Concat(File.ReadAllLines(CallLog).Where(l => l != "apt-get update -qq").Select(l => l + "\n"))
            : "";

        public (int ExitCode, string Output) Run(Dictionary<string, string> environment, params string[] args)
        {
            var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.Environment.Clear();
            start.Environment["PATH"] = Bin;
            start.Environment["TMPDIR"] = Bin;
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            start.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "ensure-docker.sh"));
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            Assert.That(process.WaitForExit(TimeSpan.FromMinutes(1)), "ensure-docker.sh did not finish within a minute");
            var all = output.Result + error.Result;
            // The one real setting it may change as root on a real one: not part of what is checked here.
            all = string.Concat(all.Split('\n').Where(l => !l.StartsWith("Set net.ipv4.tcp_migrate_req", StringComparison.Ordinal)).Select(l => l + "\n")).TrimEnd('\n');
            return (process.ExitCode, all);
        }

        public void Dispose()
        {
            _directory.Dispose();
        }

        private void Fake(string name, string body)
        {
            var path = Path.Combine(Bin, name);
            File.WriteAllText(path, $"#!/bin/bash\n{body}\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
