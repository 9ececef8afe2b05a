using Layercake.Pipelines.Environments;
using Layercake.Registry;
using Layercake.Pipelines;

namespace Layercake.Deployment;

/// <summary>
/// The Deploy task: puts the image this run built (or an earlier run, when Deploy runs alone) live in an environment once
/// the gate clears it (Promote's champion gate, so that Deploy and Promote agree on what may go live).
/// </summary>
public sealed class DeployStage(EnvironmentDeployment deployment, IDeploymentGate gate)
{
    public async Task<DeployReport> RunAsync(RegisteredVersion version, EnvironmentSpec environment, CancellationToken cancellationToken)
    {
        var overrideNote = await gate.ClearAsync(version, environment, cancellationToken).ConfigureAwait(false);
        return await deployment.RunAsync(version, environment, "deploy", buildImageIfNeeded: false, cancellationToken, overrideNote)
            .ConfigureAwait(false);
    }
}
