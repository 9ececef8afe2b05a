namespace Layercake.Deployment.History;

/// <summary>The deployment live in an environment now: its latest successful one (later ones failed or are running).</summary>
internal static class LiveDeployment
{
    public static async Task<DeploymentRecord?> FindAsync(IDeploymentHistory history, string model, string environment,
        CancellationToken cancellationToken) =>
        (await history.ListAsync(model, environment, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(r => r.State == DeploymentState.Success);
}
