using System.Net;
using Docker.DotNet;

namespace Layercake.Shared.Docker;

/// <summary>
/// Polls a container's readiness endpoint until it answers 200, the container exits, or the timeout passes;
/// the two failures name what happened and carry the container's last log lines.
/// </summary>
internal static class ContainerReadiness
{
    public static async Task WaitAsync(DockerClient docker, string containerId, Uri readyUri, HttpClient http, TimeSpan timeout,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(readyUri, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex)
                when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet, or too slow to answer this once: ask again until the deadline.
            }

            var state = (await docker.Containers.InspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false)).State;
            if (state?.Running != true)
            {
                throw new InvalidOperationException(
                    $"The container exited with code {state?.ExitCode} before it was ready. Its last log lines:\n" +
                    $"{await ContainerLogs.TailAsync(docker, containerId, cancellationToken).ConfigureAwait(false)}");
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException(
                    $"The container was not ready within {timeout.TotalSeconds:F0} s. Its last log lines:\n" +
                    $"{await ContainerLogs.TailAsync(docker, containerId, cancellationToken).ConfigureAwait(false)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
