using Docker.DotNet;
using Layercake.Deployment;
using Layercake.Deployment.Environments;
using Layercake.Deployment.History;
using Layercake.Management.Registry;
using Layercake.Pipelines;
using Layercake.Runtime.Manifest;
using Layercake.Shared.Docker;
using Layercake.Shared.IO;

namespace Layercake.Build;

/// <summary>The deploy path Deploy, Promote and Rollback share: the version's image, the target the environment names, the history.</summary>
public static class EnvironmentDeployment
{
    /// <param name="buildImageIfNeeded">
    /// Promote and Rollback reuse the version's image or build it (<see cref="ServerImage.EnsureAsync"/>); Deploy
    /// deploys the image its own run built, and a missing one is an error.
    /// </param>
    public static async Task<DeploymentRecord> RunAsync(BuildContext context, RegisteredVersion version, EnvironmentSpec environment, string kind, bool buildImageIfNeeded = false)
    {
        using var docker = await DockerEngine.ConnectAsync(context.CancellationToken);
        if (buildImageIfNeeded)
        {
            await ServerImage.EnsureAsync(context, docker, version);
        }

        var image = ImageStage.TagFor(version.Pipeline, version.Version.ToString());
        var imageId = await ImageIdAsync(docker, image, context.CancellationToken);
        var samples = await PackageJson.ReadAsync<SampleSet>(Path.Combine(version.Directory, "samples.json"), context.CancellationToken);
        var plan = new DeploymentPlan(version.Pipeline, version.Version.ToString(), image, version.Manifest, samples, environment, kind) { ImageId = imageId };
        var deployer = new Deployer(Target(docker, context, environment), context.DeploymentHistory, context.Paths.Models, context.Logger, context.Time);
        var record = await deployer.DeployAsync(plan, imageId, context.CancellationToken);
        StepSummary.Append(context, $"**{kind}**: `{image}` is live in **{environment.Name}** (port {environment.Port}). {record.Description}.");
        return record;
    }

    public static IDeploymentTarget Target(DockerClient docker, BuildContext context, EnvironmentSpec environment) => environment.Target switch
    {
        DeployTargetKind.Swarm => new SwarmTarget(docker, context.Logger, context.Time),
        _ => new LocalDockerTarget(docker, context.Logger, context.Time),
    };

    private static async Task<string> ImageIdAsync(DockerClient docker, string image, CancellationToken cancellationToken)
    {
        try
        {
            return (await docker.Images.InspectImageAsync(image, cancellationToken)).ID;
        }
        catch (DockerImageNotFoundException ex)
        {
            throw new DeploymentFailedException($"The image {image} is not in the Docker engine; build it first with --target=BuildImage --exclusive --version={image[(image.LastIndexOf(':') + 1)..]}.", ex);
        }
    }
}
