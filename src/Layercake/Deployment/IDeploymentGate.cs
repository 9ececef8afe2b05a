using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Registry;

namespace Layercake.Deployment;

/// <summary>What must hold before Deploy puts a version live in an environment (the champion gate, in Management).</summary>
public interface IDeploymentGate
{
    /// <summary>Throws when the version may not go live there; else returns what the history keeps about an override, or null.</summary>
    Task<string?> ClearAsync(RegisteredVersion version, EnvironmentSpec environment, CancellationToken cancellationToken);
}
