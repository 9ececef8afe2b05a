using System.Net;
using System.Net.Sockets;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Layercake.Containers;

/// <summary>
/// A serving container started on a free loopback port, with a read-only root filesystem. Disposing it
/// stops and removes it, whatever happened in between.
/// </summary>
public sealed class ContainerRun : IAsyncDisposable
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

    public static async Task<ContainerRun> StartAsync(DockerClient docker, string image, string name, CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        var containerPort = $"{ImageContext.Port}/tcp";
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Name = name,
            Labels = new Dictionary<string, string> { ["io.layercake.purpose"] = "smoke-test" },
            ExposedPorts = new Dictionary<string, EmptyStruct> { [containerPort] = default },
            HostConfig = new HostConfig
            {
                ReadonlyRootfs = true,
                PortBindings = new Dictionary<string, IList<PortBinding>> { [containerPort] = [new PortBinding { HostIP = "127.0.0.1", HostPort = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }] },
            },
        }, cancellationToken).ConfigureAwait(false);

        var run = new ContainerRun(docker, created.ID, port);
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
            return run;
        }
        catch
        {
            await run.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Polls readiness until it answers 200, the container exits, or the timeout passes.</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "v2/health/ready"), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet, or too slow to answer this once: ask again until the deadline.
            }

            var state = (await _docker.Containers.InspectContainerAsync(Id, cancellationToken).ConfigureAwait(false)).State;
            if (!state.Running)
            {
                throw new InvalidOperationException($"The container exited with code {state.ExitCode} before it was ready. Its last log lines:\n{await LogTailAsync(cancellationToken).ConfigureAwait(false)}");
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"The container was not ready within {timeout.TotalSeconds:F0} s. Its last log lines:\n{await LogTailAsync(cancellationToken).ConfigureAwait(false)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<string> LogTailAsync(CancellationToken cancellationToken, int lines = 20)
    {
        using var stream = await _docker.Containers.GetContainerLogsAsync(Id, tty: false,
            new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = lines.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken).ConfigureAwait(false);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken).ConfigureAwait(false);
        return new StringBuilder().Append(stdout).Append(stderr).ToString().TrimEnd();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _docker.Containers.StopContainerAsync(Id, new ContainerStopParameters { WaitBeforeKillSeconds = 10 }).ConfigureAwait(false);
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

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
