using Layercake.Pipelines.Strategies;
using Layercake.Pipelines.Locations;

namespace Layercake.Pipelines.Environments;

/// <summary>
/// One deployment environment from the pipeline's <c>environments:</c> section. Durations bound each step
/// of a switch: <see cref="ReadyTimeout"/> to answer readiness, <see cref="Watch"/> that a new version must
/// keep running before it takes traffic, <see cref="DrainTimeout"/> for the old version's in-flight requests.
/// <see cref="Auth"/> and <see cref="Tls"/>: the tokens its callers need and the certificate it serves HTTPS with.
/// </summary>
public sealed record EnvironmentSpec(
    string Name,
    DeployTargetKind Target,
    int Port,
    long? MemoryBytes,
    double? Cpus,
    string RestartPolicy,
    TimeSpan ReadyTimeout,
    TimeSpan Watch,
    TimeSpan DrainTimeout,
    SwarmSpec? Swarm,
    SourceLocation Location,
    AuthSpec? Auth = null,
    TlsSpec? Tls = null)
{
    /// <summary>How a new version takes this environment's traffic (<c>strategy:</c>); all at once by default.</summary>
    public RolloutStrategySpec Strategy { get; init; } = RolloutStrategySpec.AllAtOnce;
}
