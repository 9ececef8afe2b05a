using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Layercake.Tests.TestSupport;

/// <summary>
/// A second Docker engine of the test's own, so a test can kill and restart dockerd without touching the engine
/// other builds share: its own socket, data root, exec root (and so its own containerd), pid file and bridge. Its
/// bridge is an interface it creates, never <c>--bridge=none</c>: dockerd deletes the host's <c>docker0</c> when
/// started that way, which breaks the shared engine's bridge network. No iptables rules are written (containers
/// on its bridge are reached through docker-proxy on loopback, host-network containers need none). Disposing it
/// removes its containers, stops the daemon and every process under its folders, unmounts and deletes them.
/// </summary>
internal sealed class ThrowawayDockerEngine : IAsyncDisposable
{
    private readonly string _bridge;
    private readonly string _bridgeAddress;
    private Process? _daemon;

    private ThrowawayDockerEngine(string root, string bridge, string bridgeAddress)
    {
        Root = root;
        _bridge = bridge;
        _bridgeAddress = bridgeAddress;
        Endpoint = new Uri($"unix://{root}/docker.sock");
    }

    public string Root { get; }
    public Uri Endpoint { get; }
    public string LogFile => Path.Combine(Root, "dockerd.log");

    /// <summary>Why this machine cannot run one (not root, no dockerd or ip), or null.</summary>
    public static string? WhyUnavailable()
    {
        if (!IsRoot())
        {
            return "a throwaway Docker engine needs root (dockerd, a bridge interface, mounts)";
        }

        return new[] { "dockerd", "ip", "umount" }.FirstOrDefault(tool => !OnPath(tool)) is { } missing ? $"{missing} is not installed" : null;
    }

    public static async Task<ThrowawayDockerEngine> StartAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var engine = new ThrowawayDockerEngine($"/tmp/lce-{id}", $"lcb{id}", FreeSubnetAddress());
        try
        {
            Directory.CreateDirectory(engine.Root);
            await File.WriteAllTextAsync(Path.Combine(engine.Root, "daemon.json"), "{}");
            await RunAsync("ip", $"link add {engine._bridge} type bridge");
            await RunAsync("ip", $"addr add {engine._bridgeAddress}/24 dev {engine._bridge}");
            await RunAsync("ip", $"link set {engine._bridge} up");
            await engine.StartAgainAsync();
            return engine;
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    public DockerClient Connect() => new DockerClientBuilder().WithEndpoint(Endpoint).Build();

    /// <summary>
    /// Starts dockerd on this engine's folders (again, after <see cref="StopAsync"/>) and waits until it answers. After
    /// a SIGKILL the first start has always given up waiting for its containerd ("timeout waiting for containerd to
    /// start": the killed daemon's containerd is still winding down); the start is tried again then, as an operator
    /// (or systemd's Restart=) would.
    /// </summary>
    public async Task StartAgainAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartDaemonAsync();
                return;
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("containerd", StringComparison.Ordinal))
            {
                TestContext.Out.WriteLine($"dockerd start {attempt} failed waiting for containerd; starting it again");
                File.Delete(Path.Combine(Root, "docker.pid"));
            }
        }
    }

    private async Task StartDaemonAsync()
    {
        var args = $"--host {Endpoint} --data-root {Root}/data --exec-root {Root}/exec --pidfile {Root}/docker.pid --config-file {Root}/daemon.json " +
                   $"--bridge {_bridge} --iptables=false --ip-masq=false";
        _daemon = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"exec dockerd {args} >> {LogFile} 2>&1"]) { UseShellExecute = false })!;
        using var client = Connect();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var ping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.System.PingAsync(ping.Token);
                return;
            }
            catch (Exception) when (!_daemon.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"The throwaway dockerd at {Endpoint} did not start: {ex.Message}\n{Tail()}", ex);
            }
        }
    }

    /// <summary>Stops dockerd: SIGKILL (a crash: no container is stopped, nothing is saved) or SIGTERM (a clean stop).</summary>
    public async Task StopAsync(bool kill)
    {
        if (_daemon is not { HasExited: false } daemon)
        {
            return;
        }

        if (kill)
        {
            daemon.Kill();
        }
        else
        {
            await RunAsync("kill", $"-TERM {daemon.Id}");
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await daemon.WaitForExitAsync(wait.Token);
        // A killed dockerd leaves its pid file; a new one refuses to start while the file names a live process.
        File.Delete(Path.Combine(Root, "docker.pid"));
    }

    /// <summary>
    /// Whether the engine's own record of a container says it was stopped on purpose. moby sets this flag, and writes it
    /// to the container's record, the moment it sends a stop or kill signal through the API (daemon/kill.go), and its
    /// restart policy never restarts a container so flagged, even after the engine itself is restarted.
    /// </summary>
    public bool WasStoppedOnPurpose(string containerId)
    {
        var record = Path.Combine(Root, "data", "containers", containerId, "config.v2.json");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(record));
        return json.RootElement.TryGetProperty("HasBeenManuallyStopped", out var flag) && flag.GetBoolean();
    }

    public string Tail(int lines = 30) =>
        File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(lines)) : "(no dockerd log)";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_daemon is { HasExited: false })
            {
                await RemoveContainersAsync();
                await StopAsync(kill: false);
            }
        }
        catch (Exception ex)
        {
            TestContext.Out.WriteLine($"Stopping the throwaway engine cleanly failed ({ex.Message}); killing it");
            await StopAsync(kill: true);
        }
        finally
        {
            await RemoveLeftoversAsync();
        }
    }

    private async Task RemoveContainersAsync()
    {
        using var client = Connect();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var container in await client.Containers.ListContainersAsync(new ContainersListParameters { All = true }, timeout.Token))
        {
            await client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }, timeout.Token);
        }
    }

    /// <summary>Whatever a killed daemon left: its containerd and shims, mounts under its folders, the folders, the bridge.</summary>
    private async Task RemoveLeftoversAsync()
    {
        foreach (var pid in ProcessesMentioning(Root))
        {
            await RunAsync("kill", $"-KILL {pid}", check: false);
        }

        var mounts = File.ReadLines("/proc/self/mounts").Select(l => l.Split(' ')[1]).Where(m => m.StartsWith(Root + "/", StringComparison.Ordinal) || m == Root);
        foreach (var mount in mounts.OrderByDescending(m => m.Length).ToList())
        {
            await RunAsync("umount", $"-l {mount}", check: false);
        }

        if (Directory.Exists(Root))
        {
            await RunAsync("rm", $"-rf {Root}", check: false);
        }

        await RunAsync("ip", $"link delete {_bridge}", check: false);
    }

    private static IEnumerable<int> ProcessesMentioning(string text)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (commandLine.Contains(text, StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }

    /// <summary>A /24 in 10.200–250.x.0 that no route of this host uses yet.</summary>
    private static string FreeSubnetAddress()
    {
        var routes = RunSync("ip", "-4 route");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var prefix = $"10.{Random.Shared.Next(200, 251)}.{Random.Shared.Next(0, 256)}.";
            if (!routes.Contains(prefix, StringComparison.Ordinal))
            {
                return prefix + "1";
            }
        }

        throw new InvalidOperationException("No free 10.x.y.0/24 for the throwaway engine's bridge");
    }

    private static bool IsRoot() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0";

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':').Append("/usr/sbin").Any(d => File.Exists(Path.Combine(d, tool)));

    private static string RunSync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    private static async Task RunAsync(string file, string arguments, bool check = true)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {error.Trim()}");
        }
    }
}
