using Layercake.Build.Frosting;
using Layercake.Deployment;
using Layercake.Deployment.SmokeTests;
using Layercake.Runtime.Manifest;
using Layercake.Shared.Docker;
using Layercake.Shared.IO;

namespace Layercake.Build.Tasks;

[TaskName("SmokeTest")]
[TaskDescription("Starts the image on a free loopback port and checks both protocols serve samples.json as packaged; removes the container after.")]
[IsDependentOn(typeof(BuildImageTask))]
public sealed class SmokeTestTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var version = await RegisteredVersions.CurrentAsync(context);
        var samples = await PackageJson.ReadAsync<SampleSet>(Path.Combine(version.Directory, "samples.json"), context.CancellationToken);
        using var docker = await DockerEngine.ConnectAsync(context.CancellationToken);
        var image = context.ImageTag ?? ImageStage.TagFor(version.Pipeline, version.Version.ToString());
        var result = await new SmokeTester(docker, context.Logger, context.Time).RunAsync(image, version.Manifest, samples, context.CancellationToken);
        StepSummary.Append(context, $"Smoke test of `{result.Image}` passed: {result.Rows} rows through Open Inference v2 and MLflow; ready after {result.TimeToReady.TotalSeconds:F2} s.");
    }
}
