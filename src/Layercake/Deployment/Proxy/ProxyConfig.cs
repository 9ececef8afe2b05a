using System.Globalization;
using System.Text;

namespace Layercake.Deployment.Proxy;

/// <summary>
/// HAProxy's configuration for a split: the environment's port (shared with SO_REUSEPORT, as the versions share it)
/// and a private loopback check port in front of one backend of two servers, stable and canary, weighted in percent.
/// Each answer carries the version that gave it (<c>X-Model-Version</c>). A connection the chosen server refuses is
/// retried on the other (<c>redispatch</c>), so a server going away fails no request; when the proxy leaves, each client
/// connection is closed after its next response, never while a request may be on its way.
/// </summary>
internal static class ProxyConfig
{
    public const string Backend = "versions";

    public static string Render(int port, int checkPort, int adminPort, ProxyBackend stable, ProxyBackend canary, int canaryWeight,
        TimeSpan drain)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        string N(double value) => value.ToString(CultureInfo.InvariantCulture);
        Line("global");
        Line("  maxconn 4000");
        Line($"  stats socket ipv4@127.0.0.1:{N(adminPort)} level admin");
        Line($"  hard-stop-after {N(Math.Max(1, Math.Ceiling(drain.TotalSeconds)))}s");
        Line("defaults");
        Line("  mode http");
        Line("  option http-keep-alive");
        // On a soft stop HAProxy would close idle client connections, racing a request sent on one at that moment (the
        // client sees the response end before it began); with this it closes each after its next response instead.
        Line("  option idle-close-on-response");
        Line("  option redispatch");
        Line("  retries 3");
        Line("  timeout connect 2s");
        Line("  timeout client 130s");
        Line("  timeout server 60s");
        // As long as the model server's own (Kestrel's 130 s): the proxy closes an idle client connection no sooner than
        // the server it replaces would have, so a client that reuses one late meets no new failure.
        Line("  timeout http-keep-alive 130s");
        Line("frontend live");
        Line($"  bind 0.0.0.0:{N(port)}");
        Line($"  bind 127.0.0.1:{N(checkPort)}");
        Line($"  default_backend {Backend}");
        Line($"backend {Backend}");
        Line("  balance roundrobin");
        Line($"  server {stable.Name} 127.0.0.1:{N(stable.Port)} id 1 weight {N(100 - canaryWeight)}");
        Line($"  server {canary.Name} 127.0.0.1:{N(canary.Port)} id 2 weight {N(canaryWeight)}");
        Line($"  http-response set-header X-Model-Version {stable.Version} if {{ srv_id 1 }}");
        Line($"  http-response set-header X-Model-Version {canary.Version} if {{ srv_id 2 }}");
        return text.ToString();
    }
}
