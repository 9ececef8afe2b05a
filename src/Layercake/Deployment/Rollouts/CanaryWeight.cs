using System.Globalization;
using Layercake.Deployment.Proxy;

namespace Layercake.Deployment.Rollouts;

/// <summary>The canary's weight in a running proxy, as its runtime API says it now, for Status.</summary>
internal static class CanaryWeight
{
    /// <param name="labels">The proxy's labels (a container's or a Swarm service's): they hold its admin port.</param>
    public static async Task<string> ReadAsync(IDictionary<string, string> labels)
    {
        if (!labels.TryGetValue(RolloutLabels.AdminPort, out var text)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return "unknown (no admin port label)";
        }

        try
        {
            var answer = await new ProxyAdmin(port)
                .SendAsync($"get weight {ProxyConfig.Backend}/{CanarySplitPoints.CanaryName}", CancellationToken.None)
                .ConfigureAwait(false);
            return $"{answer.Split(' ')[0].Trim()} %";
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            return $"unknown (the proxy's admin port does not answer: {ex.Message})";
        }
    }
}
