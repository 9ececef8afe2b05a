using Cake.Common;
using Cake.Common.Diagnostics;
using Layercake.Build.Frosting;
using Layercake.Development;

namespace Layercake.Build.Tasks;

[TaskName("Runs")]
[TaskDescription("Lists the recorded runs, newest first: id, when, pipeline, outcome, primary metric, winner, version; --pipeline/--model, --outcome, --limit, --format=table|json|csv, --output=FILE.")]
public sealed class RunsTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var pipeline = context.Model ?? (context.PipelineGiven ? context.Spec.Name : null);
        var format = context.Argument("format", "table");
        var listing = await new RunsStage(context.RunStore)
            .RunAsync(pipeline, context.Argument<string?>("outcome", null), context.Argument("limit", 20), format, context.CancellationToken);
        if (format == "table")
        {
            ConsoleReport.Write(context, $"{listing.Runs.Count} recorded run(s){(pipeline is null ? "" : $" of {pipeline}")}, newest first ({context.RunStorePath}):", listing.Table());
            StepSummary.Append(context, listing.Table());
        }
        else if (context.Argument<string?>("output", null) is { } output)
        {
            var path = Path.GetFullPath(Path.Combine(context.Paths.Root, output));
            await Layercake.Development.RunsStage.ExportAsync(listing, format, path, context.CancellationToken);
            context.Information($"Wrote {listing.Runs.Count} run(s) as {format} to {path}");
        }
        else
        {
            Console.Out.Write(listing.Render(format));
        }
    }
}
