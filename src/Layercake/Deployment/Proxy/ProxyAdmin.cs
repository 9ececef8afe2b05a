using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Layercake.Deployment.Proxy;

/// <summary>
/// HAProxy's runtime API on its loopback admin port: one command per connection. A weight set here applies to the
/// next request routed, and no connection is closed by it, so a change of split fails no request.
/// </summary>
internal sealed class ProxyAdmin(int port)
{
    public async Task<string> SendAsync(string command, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"), cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets both servers' weights so that the canary gets <paramref name="canaryPercent"/> of requests.</summary>
    public async Task SetSplitAsync(string stable, string canary, int canaryPercent, CancellationToken cancellationToken)
    {
        // The server whose new weight is above 0 is set first, so the two are never both at 0 in between.
        var canaryCommand = $"set server {ProxyConfig.Backend}/{canary} weight {canaryPercent.ToString(CultureInfo.InvariantCulture)}";
        var stableCommand =
            $"set server {ProxyConfig.Backend}/{stable} weight {(100 - canaryPercent).ToString(CultureInfo.InvariantCulture)}";
        var commands = canaryPercent < 100 ? new[] { stableCommand, canaryCommand } : [canaryCommand, stableCommand];
        foreach (var command in commands)
        {
            var answer = (await SendAsync(command, cancellationToken).ConfigureAwait(false)).Trim();
            if (answer.Length > 0)
            {
                throw new InvalidOperationException($"HAProxy refused '{command}': {answer}");
            }
        }
    }
}
