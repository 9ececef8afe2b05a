using Layercake.Build.Frosting;
using Layercake.Development;
using Layercake.Development.Reporting;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Train")]
[TaskDescription(
    "Cross-validates every candidate trainer, picks the best by the primary metric, retrains it on all rows and exports it to ONNX.")]
[IsDependentOn(typeof(PrepareTask))]
public sealed class TrainTask(CachedStage cache, ILogger logger, TimeProvider time) : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var spec = context.Spec;
        if (await cache.IsFreshAsync("Train", context.Layout.Train,
            () => StageInputs.TrainAsync(spec, context.Layout, context.CancellationToken),
                TrainStage.Outputs, "prepared data and training parameters"))
        {
            return;
        }

        // Live status while the folds run; each finished fold is logged above it as "[done/total]", each search
        // trial as "[trainer search n/planned]".
        var searched = spec.Trainers.Count(t => t.Search.Count > 0);
        var search = searched == 0 ? "" : $" ({searched} searched by nested cross-validation)";
        var report = await LongStep.RunAsync(context, $"Cross-validating {spec.Trainers.Count} candidates{search} × {spec.Folds} folds…",
            () => new TrainStage(logger, time).RunAsync(spec, context.Layout, context.CancellationToken));
        ConsoleReport.Write(context, $"{report.PrimaryMetric} per fold:", LeaderboardFormatter.Folds(report));
        if (SearchTables.Any(report))
        {
            ConsoleReport.Write(context, $"Hyper-parameter search ({SearchTables.Note(report)}):", SearchTables.Summary(report));
        }
    }
}
