using Layercake.Build.Frosting;
using Layercake.Lineage;
using Layercake.Reporting;
using Layercake.Stages;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Train")]
[TaskDescription("Cross-validates every candidate trainer, picks the best by the primary metric, retrains it on all rows and exports it to ONNX.")]
[IsDependentOn(typeof(PrepareTask))]
public sealed class TrainTask : AsyncFrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context)
    {
        if (context.Force)
        {
            return true;
        }

        var inputs = StageInputs.TrainAsync(context.Spec, context.Layout, context.CancellationToken).GetAwaiter().GetResult();
        var stale = StageCache.WhyStaleAsync(context.Layout.Train, inputs, TrainStage.Outputs, context.CancellationToken).GetAwaiter().GetResult();
        if (stale is null)
        {
            context.Logger.LogInformation("Skipping Train: prepared data and training parameters are unchanged since the last run ({Directory}); --force re-runs it", context.Layout.Train);
            return false;
        }

        context.Logger.LogInformation("Running Train because {Reason}", stale);
        return true;
    }

    public override async Task RunAsync(BuildContext context)
    {
        var report = await new TrainStage(context.Logger, context.Time).RunAsync(context.Spec, context.Layout, context.CancellationToken);
        ConsoleReport.Write(context, $"{report.PrimaryMetric} per fold:", LeaderboardFormatter.Folds(report));
    }
}
