using System.Globalization;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Layercake.Shared.Docker;

/// <summary>The last lines a container wrote, for error messages that say why it failed.</summary>
internal static class ContainerLogs
{
    public static async Task<string> TailAsync(DockerClient docker, string id, CancellationToken cancellationToken, int lines = 20)
    {
        try
        {
            using var stream = await docker.Containers.GetContainerLogsAsync(id,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = lines.ToString(CultureInfo.InvariantCulture) },
                    cancellationToken).ConfigureAwait(false);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken).ConfigureAwait(false);
            return new StringBuilder().Append(stdout).Append(stderr).ToString().TrimEnd();
        }
        catch (DockerContainerNotFoundException)
        {
            return "(the container is gone; no logs)";
        }
        catch (IOException ex)
        {
            // The engine can close the log stream of a container it is killing mid-read ("Transport endpoint is not
            // connected"); the logs only illustrate a message, so that must not abort what the caller is reporting
            // (a deploy that already restored the previous version was once recorded as the new one live).
            return $"(the logs could not be read: {ex.Message})";
        }
    }
}
