namespace Layercake.Pipelines.Environments;

/// <summary>Where an environment runs: one Docker engine (the default), or a Docker Swarm service.</summary>
public enum DeployTargetKind
{
    Docker,
    Swarm,
}
