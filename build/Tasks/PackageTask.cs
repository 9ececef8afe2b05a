using Cake.Common.Diagnostics;
using Layercake.Build.Frosting;
using Layercake.Development;
using Layercake.Registry;
using Microsoft.Extensions.Logging;

namespace Layercake.Build.Tasks;

[TaskName("Package")]
[TaskDescription(
    "Checks the gated model's ONNX export scores like ML.NET, writes the package (ONNX, manifest, model card, samples) and registers it " +
    "under models/.")]
[IsDependentOn(typeof(EvaluateTask))]
public sealed class PackageTask(LocalModelRegistry registry, ILogger logger, TimeProvider time) : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var registered = await new PackageStage(logger, time)
            .RunAsync(context.Spec, context.Layout, registry, context.Settings.RequestedVersion, context.CancellationToken);
        context.Registered = registered;
        var where = Path.GetRelativePath(context.Paths.Root, registered.Directory);
        context.Information(registered.Existing
            ? $"{registered.Pipeline} {registered.Version} is unchanged (same ONNX file and data) and stays registered at {where}"
            : $"Registered {registered.Pipeline} {registered.Version} at {where}");
        StepSummary.Append(context,
            $"Packaged **{registered.Pipeline} {registered.Version}** ({registered.Manifest.Trainer}, parity max difference " +
            $"{registered.Manifest.Parity.MaxDifference:E2}).");
    }
}
