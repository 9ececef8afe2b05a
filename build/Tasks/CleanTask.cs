using Cake.Common.Diagnostics;
using Layercake.Build.Frosting;
using Layercake.Shared.IO;

namespace Layercake.Build.Tasks;

[TaskName("Clean")]
[TaskDescription("Deletes run outputs under artifacts/ (the model registry under models/ is kept).")]
public sealed class CleanTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var cleanup = new ArtifactCleaner(context.Paths.Artifacts).Clean(context.CancellationToken);
        if (cleanup.Existed)
        {
            context.Information($"Cleaned {cleanup.Directory}");
        }
    }
}
