using Cake.Common.Diagnostics;
using Layercake.Build.Frosting;
using Layercake.Development;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;

namespace Layercake.Build.Tasks;

[TaskName("Runs")]
[TaskDescription(
    "Lists the recorded runs, newest first: id, when, pipeline, outcome, primary metric, winner, version; --pipeline/--model, --outcome, " +
    "--limit, --format=table|json|csv, --output=FILE.")]
public sealed class RunsTask(RunStore store) : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var settings = context.Settings;
        var pipeline = settings.Model ?? (settings.PipelineGiven ? context.Spec.Name : null);
        var listing = await new RunsStage(store)
            .RunAsync(pipeline, settings.Outcome, settings.Limit, settings.Format, context.CancellationToken);
        if (settings.Format == "table")
        {
            var of = pipeline is null ? "" : $" of {pipeline}";
            ConsoleReport.Write(context, $"{listing.Runs.Count} recorded run(s){of}, newest first ({settings.RunStorePath}):",
                listing.Table());
            StepSummary.Append(context, listing.Table());
        }
        else if (settings.Output is { } output)
        {
            await RunsStage.ExportAsync(listing, settings.Format, output, context.CancellationToken);
            context.Information($"Wrote {listing.Runs.Count} run(s) as {settings.Format} to {output}");
        }
        else
        {
            Console.Out.Write(listing.Render(settings.Format));
        }
    }
}
