using System.Diagnostics;
using System.Text.RegularExpressions;
using Docker.DotNet;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.Images;
using Layercake.Runtime.Containers;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Proxy;

/// <summary>
/// The traffic-splitting proxy's image, <c>layercake/haproxy:&lt;version&gt;</c>: Debian's HAProxy binary and the
/// shared libraries it loads, <c>FROM scratch</c> as the serving image is (no registry needed). Built once per HAProxy
/// version; the configuration is copied into each proxy container before it starts.
/// </summary>
internal sealed partial class ProxyImage(DockerClient docker, ILogger logger)
{
    public const string Binary = "/usr/sbin/haproxy";
    public const string ConfigDirectory = "/etc/haproxy";
    public const string ConfigPath = ConfigDirectory + "/haproxy.cfg";

    public async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Binary))
        {
            throw new DeploymentFailedException(
                $"HAProxy is not installed on this machine ({Binary}): a canary deploy builds its proxy image from Debian's haproxy package. " +
                "Install it (apt-get install haproxy; scripts/ensure-docker.sh does so as root) and deploy again; nothing was changed.");
        }

        // Debian's version (2.6.12-1+deb12u4) has a '+', which an image tag may not.
        var tag = $"layercake/haproxy:{(await VersionAsync(cancellationToken).ConfigureAwait(false)).Replace('+', '_')}";
        try
        {
            await docker.Images.InspectImageAsync(tag, cancellationToken).ConfigureAwait(false);
            return tag;
        }
        catch (DockerImageNotFoundException)
        {
            // Built below.
        }

        var layer = new ImageLayer().AddFile(Binary, Binary, executable: true)
            .AddDirectory(ConfigDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var library in await LinkedLibraries.ResolveAsync([Binary], cancellationToken).ConfigureAwait(false))
        {
            layer.AddFile(library, library, executable: true);
        }

        var config = new ImageConfig(
            $"{ServingContainer.UserId}:{ServingContainer.UserId}",
            80,
            [],
            [Binary, "-db", "-f", ConfigPath],
            ["NONE"],
            new HealthCheckTiming(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0),
            new Dictionary<string, string> { ["org.opencontainers.image.title"] = "layercake/haproxy" },
            ImageLayer.EntryTime);
        var content = new ImageContent(tag, config, [await layer.WriteAsync(cancellationToken).ConfigureAwait(false)], ["COPY haproxy and its libraries / # layercake"]);
        await new ImageLoader(docker, logger).LoadAsync(content, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Built the proxy image {Tag} from this machine's HAProxy (FROM scratch)", tag);
        return tag;
    }

    private static async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Binary, "-v") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Binary} could not be started");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var match = VersionPattern().Match(output);
        return match.Success ? match.Groups["v"].Value : throw new InvalidOperationException($"{Binary} -v printed no version: {output}");
    }

    [GeneratedRegex(@"HAProxy version (?<v>[0-9][0-9A-Za-z.+~-]*)")]
    private static partial Regex VersionPattern();
}
