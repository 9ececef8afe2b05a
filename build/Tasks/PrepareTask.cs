using Layercake.Build.Frosting;
using Layercake.Development;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Prepare")]
[TaskDescription(
    "Loads the CSV, validates it against the schema, cleans it, engineers features, and writes the prepared data and data profile.")]
public sealed class PrepareTask(CachedStage cache, ILogger logger, TimeProvider time) : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var fresh = await cache.IsFreshAsync(
            "Prepare", context.Layout.Prepare, () => StageInputs.PrepareAsync(context.Spec, context.CancellationToken),
            PrepareStage.Outputs, "data and preparation parameters");
        if (!fresh)
        {
            await new PrepareStage(logger, time).RunAsync(context.Spec, context.Layout, context.CancellationToken);
        }
    }
}
