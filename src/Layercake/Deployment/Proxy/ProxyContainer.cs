using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Runtime.Containers;
using Layercake.Shared.Docker;

namespace Layercake.Deployment.Proxy;

/// <summary>
/// One proxy container (HAProxy or nginx) on the host network. Its configuration is copied in before it starts; it is
/// stopped softly (its program's stop signal: it stops listening, finishes the requests it holds, then exits), so
/// leaving the port fails no request.
/// </summary>
internal sealed class ProxyContainer(DockerClient docker, TimeProvider time, ProxyProgram program)
{
    // The proxy runs as the serving user; its pid file and buffers go to a small tmpfs that user owns.
    private static readonly string RunDirectoryOptions = $"uid={ServingContainer.UserId},gid={ServingContainer.UserId},mode=0700,size=64m";

    public ProxyContainer(DockerClient docker, TimeProvider time)
        : this(docker, time, ProxyProgram.HAProxy)
    {
    }

    public async Task<string> StartAsync(string image, string name, IDictionary<string, string> labels, string config, int checkPort,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Name = name,
            Labels = labels,
            StopSignal = program.StopSignal,
            HostConfig = new HostConfig
            {
                NetworkMode = "host",
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.Always },
                Tmpfs = program.RunDirectory is { } run ? new Dictionary<string, string> { [run] = RunDirectoryOptions } : null,
            },
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            var archive = await TarOfAsync(program.ConfigFile, config, cancellationToken).ConfigureAwait(false);
            var into = new CopyToContainerParameters { Path = program.ConfigDirectory };
            await docker.Containers.ExtractArchiveToContainerAsync(created.ID, into, archive, cancellationToken).ConfigureAwait(false);
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken)
                .ConfigureAwait(false);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await ContainerReadiness.WaitAsync(docker, created.ID, new Uri($"http://127.0.0.1:{checkPort}/v2/health/ready"), http, timeout,
                time, cancellationToken).ConfigureAwait(false);
            return created.ID;
        }
        catch
        {
            await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None)
                .ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Soft stop: the proxy leaves the port at once and exits when its last connection is closed, or at its own
    /// <c>hard-stop-after</c> (the drain); Docker's kill comes only after that.
    /// </summary>
    public async Task StopAsync(string id, TimeSpan drain)
    {
        try
        {
            await docker.Containers.StopContainerAsync(id,
                new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(drain.TotalSeconds) + 5 }, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (DockerApiException)
        {
            // Already stopped.
        }

        try
        {
            await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
        }
    }

    private static async Task<Stream> TarOfAsync(string name, string text, CancellationToken cancellationToken)
    {
        var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            using var data = new MemoryStream(Encoding.UTF8.GetBytes(text));
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = data,
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            }, cancellationToken).ConfigureAwait(false);
        }

        tar.Position = 0;
        return tar;
    }
}
