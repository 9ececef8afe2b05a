using System.Globalization;
using System.Text;

namespace Layercake.Deployment.Proxy;

/// <summary>
/// nginx's configuration for a shadow: the environment's port (shared with SO_REUSEPORT, as the versions share it) and
/// a private loopback check port, every request proxied to the live version, and a copy of it (body included) sent to
/// the shadow through nginx's <c>mirror</c>, whose answer nginx discards. Both see one <c>X-Request-Id</c>: the
/// client's when the server would keep it, else nginx's own <c>$request_id</c>; both versions log it with their
/// predictions, which is how the shadow's answers are compared with the live ones on the very same requests.
/// </summary>
internal static class MirrorConfig
{
    public const string MirrorLocation = "/layercake-shadow";

    public static string Render(int port, int checkPort, ProxyBackend live, ProxyBackend shadow, TimeSpan drain)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        string N(double value) => value.ToString(CultureInfo.InvariantCulture);
        var run = ProxyProgram.Nginx.RunDirectory;
        Line("daemon off;");
        Line("worker_processes auto;");
        Line($"pid {run}/nginx.pid;");
        Line($"worker_shutdown_timeout {N(Math.Max(1, Math.Ceiling(drain.TotalSeconds)))}s;");
        Line("events { worker_connections 4096; }");
        Line("http {");
        Line("  access_log off;");
        foreach (var temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            Line($"  {temp}_temp_path {run}/{temp};");
        }

        // The model server enforces its own body limit; a body is kept in memory so the mirror re-sends it from there.
        Line("  client_max_body_size 0;");
        Line("  client_body_buffer_size 1m;");
        // As long as the model server's own (Kestrel's 130 s), as the canary's proxy does.
        Line("  keepalive_timeout 130s;");
        Line("  keepalive_requests 1000000;");
        Line("  server_tokens off;");
        // The server's own rule for a client's id (RequestIds): one it would replace is replaced here, once, for both.
        Line("  map $http_x_request_id $layercake_request_id {");
        Line("    \"~^[A-Za-z0-9._:/+=@-]{1,128}$\" $http_x_request_id;");
        Line("    default $request_id;");
        Line("  }");
        Line($"  upstream live {{ server 127.0.0.1:{N(live.Port)}; keepalive 64; }}");
        Line($"  upstream shadow {{ server 127.0.0.1:{N(shadow.Port)}; keepalive 64; }}");
        Line("  proxy_http_version 1.1;");
        Line("  proxy_set_header Connection \"\";");
        Line("  proxy_set_header Host $http_host;");
        Line("  proxy_set_header X-Request-Id $layercake_request_id;");
        Line("  proxy_pass_header Server;");
        Line("  proxy_pass_header Date;");
        Line("  server {");
        Line($"    listen 0.0.0.0:{N(port)} reuseport;");
        Line($"    listen 127.0.0.1:{N(checkPort)};");
        Line("    location / {");
        Line($"      mirror {MirrorLocation};");
        Line("      mirror_request_body on;");
        Line("      proxy_read_timeout 60s;");
        Line("      proxy_pass http://live;");
        Line("      proxy_hide_header X-Model-Version;"); // servers name themselves now; older ones did not: one header either way
        Line($"      add_header X-Model-Version {live.Version} always;");
        Line("    }");
        Line($"    location = {MirrorLocation} {{");
        Line("      internal;");
        // A slow shadow holds the client's connection until its copy is answered: bounded here, never the answer itself.
        Line("      proxy_connect_timeout 1s;");
        Line("      proxy_read_timeout 5s;");
        Line("      proxy_pass http://shadow$request_uri;");
        Line("    }");
        Line("  }");
        Line("}");
        return text.ToString();
    }
}
