using Docker.DotNet;
using Docker.DotNet.Models;
using Layercake.Deployment.Errors;
using Layercake.Deployment.SmokeTests;
using Layercake.Runtime.Containers;
using Layercake.Shared.Docker;
using Layercake.Shared.Errors;
using Microsoft.Extensions.Logging;

namespace Layercake.Deployment.Environments;

/// <summary>
/// A new version's private trial before it takes traffic: it runs on a loopback port of its own, must become ready, pass
/// the smoke test and still be running after the watch time. Any failure refuses the version; the live one stays.
/// </summary>
internal static class CandidateTrial
{
    public static async Task RunAsync(DockerClient docker, DeploymentPlan plan, ILogger logger, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var environment = plan.Environment;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var name =
            $"layercake-{plan.Model}-{environment.Name}-candidate-{Guid.NewGuid():N}"[..Math.Min(120, 40 + plan.Model.Length
            + environment.Name.Length)];
        ContainerRun run;
        try
        {
            run = await ContainerRun.StartAsync(docker, plan.Image, name, cancellationToken, p =>
            {
                p.Labels[LayercakeLabels.Role] = DeploymentLabels.Candidate;
                p.Labels[LayercakeLabels.Model] = plan.Model;
                p.Labels[LayercakeLabels.Environment] = environment.Name;
                ContainerLimits.Apply(p.HostConfig ??= new HostConfig(), environment);
            }).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException ex)
        {
            throw new DeploymentFailedException($"The image {plan.Image} is not in the Docker engine.",
                ImageNotFoundException.For(plan.Image, "", ex));
        }

        await using (run.ConfigureAwait(false))
        {
            try
            {
                await run.WaitUntilReadyAsync(http, environment.ReadyTimeout, time, cancellationToken).ConfigureAwait(false);
                await new SmokeTester(docker, logger, time)
                    .CheckAsync(http, run.BaseAddress, plan.Image, plan.Manifest, plan.Samples, cancellationToken).ConfigureAwait(false);
                await Task.Delay(environment.Watch, time, cancellationToken).ConfigureAwait(false);
                var state = (await docker.Containers.InspectContainerAsync(run.Id, cancellationToken).ConfigureAwait(false)).State;
                if (state?.Running != true)
                {
                    throw new InvalidOperationException(
                        $"It exited with code {state?.ExitCode} within {environment.Watch.TotalSeconds:F1} s of passing the smoke test. " +
                        $"Its last log lines:\n{await run.LogTailAsync(cancellationToken).ConfigureAwait(false)}");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Any failure of the trial (a server answering 200 with JSON of the wrong shape too) refuses the version.
                throw new DeploymentFailedException(
                    $"{plan.Model} {plan.Version} ({plan.Image}) failed its trial before taking traffic in '{environment.Name}', so the " +
                    $"running version stays: {ex.Message}", ex);
            }
        }

        logger.LogInformation("{Image} passed its trial: ready, smoke test, and still running after {Watch:F1} s", plan.Image,
            environment.Watch.TotalSeconds);
    }
}
