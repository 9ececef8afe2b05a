namespace Layercake.Deployment.Proxy;

/// <summary>
/// A proxy program a rollout runs in its own <c>FROM scratch</c> image: HAProxy splits (canary), nginx mirrors
/// (shadow). Each is Debian's binary from this machine; each stops softly on its own signal.
/// </summary>
/// <param name="Package">The Debian package that installs <paramref name="Binary"/>, for the advice when it is missing.</param>
/// <param name="VersionPattern">Finds the version in what <c>Binary -v</c> prints (to stdout or stderr).</param>
/// <param name="RunDirectory">
/// A folder the proxy may write (pid file, buffers), a tmpfs owned by the serving user; none for HAProxy.
/// </param>
internal sealed record ProxyProgram(
    string Name,
    string Binary,
    string Package,
    string ConfigDirectory,
    string ConfigFile,
    IReadOnlyList<string> Command,
    string StopSignal,
    string VersionPattern,
    string? RunDirectory)
{
    public string ConfigPath => $"{ConfigDirectory}/{ConfigFile}";

    /// <summary>HAProxy 2.6: on SIGUSR1 it stops listening, finishes the requests it holds, then exits.</summary>
    public static ProxyProgram HAProxy { get; } = new("haproxy", "/usr/sbin/haproxy", "haproxy", "/etc/haproxy", "haproxy.cfg",
        ["/usr/sbin/haproxy", "-db", "-f", "/etc/haproxy/haproxy.cfg"], "SIGUSR1", @"HAProxy version (?<v>[0-9][0-9A-Za-z.+~-]*)", null);

    /// <summary>
    /// nginx 1.22: in the foreground with its error log on stderr from the start (<c>-e</c>), so it never opens the
    /// compiled-in log path; on SIGQUIT it stops accepting, finishes its requests, then exits.
    /// </summary>
    public static ProxyProgram Nginx { get; } = new("nginx", "/usr/sbin/nginx", "nginx", "/etc/nginx", "nginx.conf",
        ["/usr/sbin/nginx", "-e", "stderr", "-c", "/etc/nginx/nginx.conf"], "SIGQUIT", @"nginx/(?<v>[0-9][0-9A-Za-z.+~-]*)", "/run/nginx");
}
