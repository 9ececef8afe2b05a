namespace Layercake.Deployment.Environments;

/// <summary>One container (or Swarm task) of an environment.</summary>
public sealed record InstanceStatus(string Name, string Version, string Image, string ImageId, DateTimeOffset? Since, string State,
    string Health);
