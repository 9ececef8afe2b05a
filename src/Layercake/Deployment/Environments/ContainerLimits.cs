using Docker.DotNet.Models;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;

namespace Layercake.Deployment.Environments;

/// <summary>An environment's memory and CPU limits on a container.</summary>
internal static class ContainerLimits
{
    public static void Apply(HostConfig host, EnvironmentSpec environment)
    {
        if (environment.MemoryBytes is { } memory)
        {
            host.Memory = memory;
        }

        if (environment.Cpus is { } cpus)
        {
            host.NanoCPUs = (long)(cpus * 1e9);
        }
    }
}
