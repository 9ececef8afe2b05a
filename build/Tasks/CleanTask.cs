using Cake.Common.Diagnostics;
using Layercake.Build.Frosting;

namespace Layercake.Build.Tasks;

[TaskName("Clean")]
[TaskDescription("Deletes run outputs under artifacts/ (the model registry under models/ is kept).")]
public sealed class CleanTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        if (!Directory.Exists(context.Paths.Artifacts))
        {
            return;
        }

        foreach (var entry in new DirectoryInfo(context.Paths.Artifacts).EnumerateFileSystemInfos())
        {
            // This run's own log is open; everything else goes.
            if (entry is DirectoryInfo { Name: "logs" })
            {
                continue;
            }

            if (entry is DirectoryInfo directory)
            {
                directory.Delete(recursive: true);
            }
            else if (entry.Name != ".gitkeep")
            {
                entry.Delete();
            }
        }

        context.Information($"Cleaned {context.Paths.Artifacts}");
    }
}
