using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Docker.DotNet;
using Layercake.Deployment.Errors;
using Layercake.Deployment.Images;
using Layercake.Runtime.Containers;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Proxy;

/// <summary>
/// A rollout proxy's image, <c>layercake/&lt;program&gt;:&lt;version&gt;</c>: Debian's binary and the shared
/// libraries it loads, <c>FROM scratch</c> as the serving image is (no registry needed). Built once per binary; the
/// configuration is copied into each proxy container before it starts.
/// </summary>
internal sealed class ProxyImage(DockerClient docker, ILogger logger, ProxyProgram program)
{
    public ProxyImage(DockerClient docker, ILogger logger)
        : this(docker, logger, ProxyProgram.HAProxy)
    {
    }

    public async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        var binary = program.Binary;
        if (!File.Exists(binary))
        {
            var (strategy, script) = program == ProxyProgram.Nginx ? ("a shadow", "ensure-nginx.sh") : ("a canary", "ensure-haproxy.sh");
            throw new DeploymentFailedException(
                $"{program.Name} is not installed on this machine ({binary}): {strategy} deploy builds its proxy image from Debian's " +
                $"{program.Package} package. Install it (apt-get install {program.Package}; scripts/{script} does so as root) and deploy " +
                "again; nothing was changed.");
        }

        var tag = $"layercake/{program.Name}:{await TagAsync(cancellationToken).ConfigureAwait(false)}";
        try
        {
            await docker.Images.InspectImageAsync(tag, cancellationToken).ConfigureAwait(false);
            return tag;
        }
        catch (DockerImageNotFoundException)
        {
            // Built below.
        }

        const UnixFileMode Directory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        var layer = new ImageLayer().AddFile(binary, binary, executable: true).AddDirectory(program.ConfigDirectory, Directory);
        if (program.RunDirectory is { } run)
        {
            layer.AddDirectory(run, Directory);
        }

        foreach (var library in await LinkedLibraries.ResolveAsync([binary], cancellationToken).ConfigureAwait(false))
        {
            layer.AddFile(library, library, executable: true);
        }

        var config = new ImageConfig(
            $"{ServingContainer.UserId}:{ServingContainer.UserId}",
            80,
            [],
            program.Command,
            ["NONE"],
            new HealthCheckTiming(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0),
            new Dictionary<string, string> { ["org.opencontainers.image.title"] = $"layercake/{program.Name}" },
            ImageLayer.EntryTime);
        var content = new ImageContent(tag, config, [await layer.WriteAsync(cancellationToken).ConfigureAwait(false)],
            [$"COPY {program.Name} and its libraries / # layercake"]);
        await new ImageLoader(docker, logger).LoadAsync(content, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Built the proxy image {Tag} from this machine's {Program} (FROM scratch)", tag, program.Name);
        return tag;
    }

    /// <summary>
    /// HAProxy prints Debian's full version (2.6.12-1+deb12u4); nginx only its own (1.22.1), which a Debian security
    /// update keeps, so nginx's tag also carries the start of the binary's digest. A '+' may not be in a tag.
    /// </summary>
    private async Task<string> TagAsync(CancellationToken cancellationToken)
    {
        var version = (await VersionAsync(cancellationToken).ConfigureAwait(false)).Replace('+', '_');
        if (program == ProxyProgram.HAProxy)
        {
            return version;
        }

        await using var binary = File.OpenRead(program.Binary);
        var digest = await SHA256.HashDataAsync(binary, cancellationToken).ConfigureAwait(false);
        return $"{version}-{Convert.ToHexStringLower(digest)[..12]}";
    }

    private async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program.Binary, "-v")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program.Binary} could not be started");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var printed = await output.ConfigureAwait(false) + await error.ConfigureAwait(false);
        var match = Regex.Match(printed, program.VersionPattern);
        return match.Success
            ? match.Groups["v"].Value
            : throw new InvalidOperationException($"{program.Binary} -v printed no version: {printed}");
    }
}
