using Docker.DotNet;
using Layercake.Deployment.Environments;
using Layercake.Deployment.Errors;
using Layercake.Deployment.History;
using Layercake.Pipelines;
using Layercake.Pipelines.Environments;
using Layercake.Registry;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Manifest;
using Layercake.Shared.Errors;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment;

/// <summary>The deploy path Deploy, Promote and Rollback share: the version's image, the target the environment names, the
/// history.</summary>
/// <param name="connect">
/// Reaches the Docker engine. Called only when a deployment starts, so Promote and Rollback refuse (a failed gate,
/// nothing to roll back to) without needing an engine.
/// </param>
/// <param name="lockRoot">The local registry, where the lock that keeps two deployments of one environment apart lives.</param>
/// <param name="artifactsRoot">The build's artifacts, where a canary or shadow writes its report; none writes none.</param>
public sealed class EnvironmentDeployment(
    Func<CancellationToken, Task<DockerClient>> connect,
    IDeploymentHistory history,
    ServerImage serverImage,
    string lockRoot,
    ILogger logger,
    TimeProvider time,
    string? artifactsRoot = null)
{
    /// <param name="buildImageIfNeeded">
    /// Promote and Rollback reuse the version's image or build it (<see cref="ServerImage.EnsureAsync"/>); Deploy
    /// deploys the image its own run built, and a missing one is an error.
    /// </param>
    /// <param name="overrideNote">Why this deployment goes ahead against a gate, when the operator overrode one; recorded in the
    /// history.</param>
    public async Task<DeployReport> RunAsync(
        RegisteredVersion version, EnvironmentSpec environment, string kind, bool buildImageIfNeeded, CancellationToken cancellationToken,
            string? overrideNote = null)
    {
        using var docker = await connect(cancellationToken).ConfigureAwait(false);
        if (buildImageIfNeeded)
        {
            await serverImage.EnsureAsync(docker, version, cancellationToken).ConfigureAwait(false);
        }

        var image = ServingImageName.Of(version.Pipeline, version.Version.ToString());
        var imageId = await ImageIdAsync(docker, image, cancellationToken).ConfigureAwait(false);
        var samples = await PackageJson.ReadAsync<SampleSet>(Path.Combine(version.Directory, "samples.json"), cancellationToken)
            .ConfigureAwait(false);
        var plan =
            new DeploymentPlan(version.Pipeline, version.Version.ToString(), image, version.Manifest, samples, environment,
            kind) { ImageId = imageId, Override = overrideNote };
        var target = DeploymentTargets.For(docker, environment, logger, time, lockRoot, artifactsRoot);
        var deployer = new Deployer(target, history, lockRoot, logger, time);
        try
        {
            var record = await deployer.DeployAsync(plan, imageId, cancellationToken).ConfigureAwait(false);
            return new DeployReport(kind, image, environment.Name, environment.Port, record);
        }
        catch (DeploymentFailedException ex) when (ex.ShadowCompleted)
        {
            // The shadow ran as asked and never went live; the history has just recorded it so (not as live).
            var record = (await history.ListAsync(version.Pipeline, environment.Name, CancellationToken.None).ConfigureAwait(false))[0];
            return new DeployReport(kind, image, environment.Name, environment.Port, record);
        }
    }

    private static async Task<string> ImageIdAsync(DockerClient docker, string image, CancellationToken cancellationToken)
    {
        try
        {
            return (await docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false)).ID;
        }
        catch (DockerImageNotFoundException ex)
        {
            throw new DeploymentFailedException($"The image {image} is not in the Docker engine.",
                ImageNotFoundException.For(image, "", ex));
        }
    }
}
