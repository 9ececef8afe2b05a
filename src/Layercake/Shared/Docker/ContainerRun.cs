using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Protocols;

namespace Layercake.Shared.Docker;

/// <summary>
/// A serving container started on a free loopback port, with a read-only root filesystem. Disposing it
/// stops and removes it, whatever happened in between.
/// </summary>
internal sealed class ContainerRun : IAsyncDisposable
{
    private readonly DockerClient _docker;

    private ContainerRun(DockerClient docker, string id, int port)
    {
        _docker = docker;
        Id = id;
        Port = port;
    }

    public string Id { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static async Task<ContainerRun> StartAsync(DockerClient docker, string image, string name, CancellationToken cancellationToken,
        Action<CreateContainerParameters>? configure = null)
    {
        var port = HostPort.FreeLoopback();
        var containerPort = $"{ServingContainer.Port}/tcp";
        var parameters = new CreateContainerParameters
        {
            Image = image,
            Name = name,
            Labels = new Dictionary<string, string> { [LayercakeLabels.Purpose] = "smoke-test" },
            ExposedPorts = new Dictionary<string, EmptyStruct> { [containerPort] = default },
            HostConfig = new HostConfig
            {
                ReadonlyRootfs = true,
                PortBindings = new Dictionary<string,
                    IList<PortBinding>> { [containerPort] =
                    [new PortBinding { HostIP = "127.0.0.1",
                    HostPort = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }] },
            },
        };
        configure?.Invoke(parameters);
        var created = await docker.Containers.CreateContainerAsync(parameters, cancellationToken).ConfigureAwait(false);

        var run = new ContainerRun(docker, created.ID, port);
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken)
                .ConfigureAwait(false);
            return run;
        }
        catch
        {
            await run.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        ContainerReadiness.WaitAsync(_docker, Id, new Uri(BaseAddress, OpenInferencePaths.HealthReady), http, timeout, time,
            cancellationToken);

    public Task<string> LogTailAsync(CancellationToken cancellationToken, int lines = 20) =>
        ContainerLogs.TailAsync(_docker, Id, cancellationToken, lines);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _docker.Containers.StopContainerAsync(Id, new ContainerStopParameters { WaitBeforeKillSeconds = 10 })
                .ConfigureAwait(false);
        }
        catch (DockerApiException)
        {
            // Already stopped or gone; removal below is what matters.
        }

        try
        {
            await _docker.Containers.RemoveContainerAsync(Id, new ContainerRemoveParameters { Force = true }).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
        }
    }
}
