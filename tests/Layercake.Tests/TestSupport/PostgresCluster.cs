using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Layercake.Tests.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb into a temporary folder (as 'nobody' when the tests run as root, since
/// PostgreSQL refuses to run as root), started on a free loopback port with password authentication, and stopped
/// and deleted on dispose. Needs PostgreSQL's binaries (Debian's postgresql-15, or initdb on PATH).
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _bin;
    private readonly bool _asNobody;

    private PostgresCluster(string root, string bin, bool asNobody, int port, string password)
    {
        _root = root;
        _bin = bin;
        _asNobody = asNobody;
        Port = port;
        Password = password;
    }

    public int Port { get; }
    public string Password { get; }
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password};Database=postgres;Pooling=false";

    /// <summary>The folder of initdb and pg_ctl, or null when PostgreSQL is not installed.</summary>
    public static string? FindBinaries()
    {
        var debian = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault() : null;
        return debian ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
    }

    public static async Task<PostgresCluster> StartAsync(string password)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql-15)");
        var root = Path.Combine("/tmp", "layercake-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var asNobody = Environment.UserName == "root";
        await File.WriteAllTextAsync(Path.Combine(root, "pw"), password);
        if (asNobody)
        {
            await RunAsync("chown", "-R", "nobody", root);
        }

        var cluster = new PostgresCluster(root, bin, asNobody, FreePort(), password);
        await cluster.AsOwnerAsync("initdb", "-D", Path.Combine(root, "data"), "-U", "postgres", "--pwfile", Path.Combine(root, "pw"), "--auth", "scram-sha-256", "-E", "UTF8", "--no-instructions");
        await cluster.AsOwnerAsync("pg_ctl", "-D", Path.Combine(root, "data"), "-l", Path.Combine(root, "log"), "-w", "-t", "60",
            "-o", $"-p {cluster.Port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsOwnerAsync("pg_ctl", "-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private Task AsOwnerAsync(string tool, params string[] arguments) =>
        _asNobody ? RunAsync("runuser", ["-u", "nobody", "--", Path.Combine(_bin, tool), .. arguments]) : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
