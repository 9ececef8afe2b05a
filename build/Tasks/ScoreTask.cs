using Cake.Core;
using Layercake.Build.Frosting;
using Layercake.Batch;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Score")]
[TaskDescription("Scores a table (--data or --source-query) with a registered version (--model-version, or the one live in "
    + "--environment, else the latest) into --output (.parquet, .csv, .jsonl) or --output-table (PostgreSQL, SQLite), else as the "
    + "pipeline's scoring: section says; bad rows go to <output>.rejects.jsonl, the job fails past --max-rejects.")]
public sealed class ScoreTask(ScoreStage stage, ILogger logger) : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var request = ScoreArguments.Read(context);
        try
        {
            var report = await ScoreProgressDisplay.RunAsync(context, logger, progress => stage.RunAsync(request, progress,
                context.CancellationToken));
            ConsoleReport.Write(context, report.Title, report.Markdown());
            StepSummary.Append(context, report.Title + "\n\n" + report.Markdown());
        }
        catch (TooManyRejectsException ex)
        {
            throw new CakeException($"{ex.Message}. Every reject is in {ScoreRecorder.RejectsPathFor(request.Output)}; "
                + "--max-rejects=N or P% sets how many a job may set aside.");
        }
    }
}
