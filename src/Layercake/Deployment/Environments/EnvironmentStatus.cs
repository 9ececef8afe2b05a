namespace Layercake.Deployment.Environments;

/// <summary>What runs in an environment now, as its target sees it.</summary>
public sealed record EnvironmentStatus(string Environment, string Target, int Port, IReadOnlyList<InstanceStatus> Instances, string? Note)
{
    public string? Version => Instances.Select(i => i.Version).Distinct().Count() == 1 ? Instances[0].Version : null;
}
