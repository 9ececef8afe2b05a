using Layercake.Build.Frosting;
using Layercake.Development;
using Layercake.Development.Reporting;

namespace Layercake.Build.Tasks;

[TaskName("Train")]
[TaskDescription("Cross-validates every candidate trainer, picks the best by the primary metric, retrains it on all rows and exports it to ONNX.")]
[IsDependentOn(typeof(PrepareTask))]
public sealed class TrainTask : AsyncFrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context) =>
        CachedStage.ShouldRun(
            context,
            "Train",
            context.Layout.Train,
            () => StageInputs.TrainAsync(context.Spec, context.Layout, context.CancellationToken),
            TrainStage.Outputs,
            "prepared data and training parameters");

    public override async Task RunAsync(BuildContext context)
    {
        // Live status while the folds run; each finished fold is logged above it as "[done/total]", each search
        // trial as "[trainer search n/planned]".
        var searched = context.Spec.Trainers.Count(t => t.Search.Count > 0);
        var search = searched == 0 ? "" : $" ({searched} searched by nested cross-validation)";
        var report = await LongStep.RunAsync(context, $"Cross-validating {context.Spec.Trainers.Count} candidates{search} × {context.Spec.Folds} folds…",
            () => new TrainStage(context.Logger, context.Time).RunAsync(context.Spec, context.Layout, context.CancellationToken));
        ConsoleReport.Write(context, $"{report.PrimaryMetric} per fold:", LeaderboardFormatter.Folds(report));
        if (SearchTables.Any(report))
        {
            ConsoleReport.Write(context, $"Hyper-parameter search ({SearchTables.Note(report)}):", SearchTables.Summary(report));
        }
    }
}
