using Cake.Common.Diagnostics;
using Layercake.Build.Frosting;
using Layercake.Deployment.History;
using Layercake.Management;
using Layercake.Management.Releases;

namespace Layercake.Build.Tasks;

[TaskName("Versions")]
[TaskDescription(
    "Prints a model's versions (--model; every model without it): created, primary metric, gates, and where each is deployed now and was " +
    "before.")]
public sealed class VersionsTask(IModelRegistry releases, IDeploymentHistory history) : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var stage = new VersionsStage(releases, history, context.Paths.Models);
        if (!context.SpecLoaded)
        {
            var all = await stage.RunAllAsync(Path.Combine(context.Paths.Root, "pipelines"), context.CancellationToken);
            foreach (var model in all.WithVersions)
            {
                ConsoleReport.Write(context, model.Title, model.Text);
            }

            context.Information(all.Footer.TrimEnd());
            StepSummary.Append(context, all.Markdown);
            return;
        }

        var report =
            await stage.RunAsync(context.Spec.Name, context.Spec.Environments.Select(e => e.Name).ToArray(), context.CancellationToken);
        ConsoleReport.Write(context, report.Title, report.Text);
        StepSummary.Append(context, report.Markdown);
    }
}
