using Docker.DotNet.Models;

namespace Layercake.Deployment.Environments;

/// <summary>What a version's Swarm replicas reported when they failed, for a deploy's error message.</summary>
internal static class SwarmTaskErrors
{
    public static string Of(IEnumerable<TaskResponse> tasks, string image)
    {
        var errors = tasks.Where(t => t.Spec?.ContainerSpec?.Image == image && !string.IsNullOrEmpty(t.Status?.Err))
            .Select(t => $"  replica {t.Slot}: {(t.Status?.State.ToString() ?? "unknown").ToLowerInvariant()}: {t.Status?.Err}").Distinct()
                .Take(5).ToList();
        return errors.Count == 0 ? "" : $" Its replicas reported:\n{string.Join('\n', errors)}";
    }
}
