using Layercake.Build.Frosting;
using Layercake.Lineage;
using Layercake.Stages;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Prepare")]
[TaskDescription("Loads the CSV, validates it against the schema, cleans it, engineers features, and writes the prepared data and data profile.")]
public sealed class PrepareTask : AsyncFrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context)
    {
        if (context.Force)
        {
            return true;
        }

        var inputs = StageInputs.PrepareAsync(context.Spec, context.CancellationToken).GetAwaiter().GetResult();
        var stale = StageCache.WhyStaleAsync(context.Layout.Prepare, inputs, PrepareStage.Outputs, context.CancellationToken).GetAwaiter().GetResult();
        if (stale is null)
        {
            context.Logger.LogInformation("Skipping Prepare: data and preparation parameters are unchanged since the last run ({Directory}); --force re-runs it", context.Layout.Prepare);
            return false;
        }

        context.Logger.LogInformation("Running Prepare because {Reason}", stale);
        return true;
    }

    public override Task RunAsync(BuildContext context) =>
        new PrepareStage(context.Logger, context.Time).RunAsync(context.Spec, context.Layout, context.CancellationToken);
}
