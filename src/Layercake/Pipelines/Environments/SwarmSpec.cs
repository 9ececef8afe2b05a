namespace Layercake.Pipelines.Environments;

/// <summary>
/// A Swarm environment's service settings. <see cref="PublishMode"/> <c>host</c> puts the replicas on the
/// host network sharing the port with SO_REUSEPORT; <c>ingress</c> uses Swarm's routing mesh (multi-node).
/// </summary>
public sealed record SwarmSpec(
    string Service,
    int Replicas,
    int UpdateParallelism,
    TimeSpan UpdateDelay,
    TimeSpan Monitor,
    string PublishMode);
