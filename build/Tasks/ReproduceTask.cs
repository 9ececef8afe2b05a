using Cake.Core;
using Layercake.Build.Frosting;
using Layercake.Management;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Reproduce")]
[TaskDescription(
    "Rebuilds --model's version (--model-version, else the latest) from its recorded data and commit in a temporary work tree and " +
    "compares model.onnx, model.zip, the CV metrics, the manifest and the image id with the registered ones. Exit code 4 on a difference.")]
public sealed class ReproduceTask(ReproduceStage stage, ILogger logger) : AsyncFrostingTask<BuildContext>
{
    /// <summary>The build's exit code when the rebuild differs; 1 stays "the build itself failed" (or Reproduce refused to
    /// start).</summary>
    public const int DifferenceExitCode = 4;

    public override async Task RunAsync(BuildContext context)
    {
        var report = await LongStep.RunAsync(context, "Reproduce: rebuilding the version at its recorded commit…",
            () => stage.RunAsync(context.Settings.Model ?? context.Spec.Name, context.Settings.RequestedVersion,
                context.CancellationToken));

        ConsoleReport.Write(context, report.Title, report.Table);
        StepSummary.Append(context, report.Markdown);
        if (!report.Reproduced)
        {
            throw new CakeException(DifferenceExitCode, report.Summary);
        }

        logger.LogInformation("{Summary}", report.Summary);
    }
}
