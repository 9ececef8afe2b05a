using Docker.DotNet;
using Layercake.Deployment.SmokeTests;
using Layercake.Registry;
using Layercake.Runtime.Containers;
using Layercake.Runtime.Manifest;
using Layercake.Shared.IO;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment;

/// <summary>The SmokeTest task: the version's image serves its package's samples as packaged, through both protocols.</summary>
public sealed class SmokeTestStage(DockerClient docker, ILogger logger, TimeProvider time)
{
    /// <param name="image">The image this run built; null for the version's own tag.</param>
    public async Task<SmokeTestResult> RunAsync(RegisteredVersion version, string? image, CancellationToken cancellationToken)
    {
        var samples = await PackageJson.ReadAsync<SampleSet>(Path.Combine(version.Directory, "samples.json"), cancellationToken)
            .ConfigureAwait(false);
        var tag = image ?? ServingImageName.Of(version.Pipeline, version.Version.ToString());
        return await new SmokeTester(docker, logger, time).RunAsync(tag, version.Manifest, samples, cancellationToken)
            .ConfigureAwait(false);
    }
}
