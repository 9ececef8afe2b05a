using Layercake.Build.Frosting;
using Layercake.Development;

namespace Layercake.Build.Tasks;

[TaskName("Prepare")]
[TaskDescription("Loads the CSV, validates it against the schema, cleans it, engineers features, and writes the prepared data and data profile.")]
public sealed class PrepareTask : AsyncFrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context) =>
        CachedStage.ShouldRun(
            context,
            "Prepare",
            context.Layout.Prepare,
            () => StageInputs.PrepareAsync(context.Spec, context.CancellationToken),
            PrepareStage.Outputs,
            "data and preparation parameters");

    public override Task RunAsync(BuildContext context) =>
        new PrepareStage(context.Logger, context.Time).RunAsync(context.Spec, context.Layout, context.CancellationToken);
}
