using Layercake.Build.Frosting;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Release")]
[TaskDescription("Records the packaged, gated, smoke-tested version in the registry: a GitHub release with its assets when GITHUB_TOKEN and the repository are set, else the local registry.")]
[IsDependentOn(typeof(SmokeTestTask))]
public sealed class ReleaseTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var version = await context.CurrentVersionAsync();
        var registry = context.ReleaseRegistry;
        var published = await registry.PublishAsync(version, context.CancellationToken);
        context.Logger.LogInformation("Released {Tag} in the {Registry}{Url}", published.Tag, registry.Description, published.Url is { } url ? $": {url}" : "");
        StepSummary.Append(context, $"Released **{published.Tag}** in the {registry.Description}.");
    }
}
