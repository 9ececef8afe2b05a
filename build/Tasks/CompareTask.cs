using Cake.Common.Diagnostics;
using Layercake.Build.Frosting;
using Layercake.Development;
using Layercake.Development.Experiments;
using Layercake.Development.Experiments.Store;

namespace Layercake.Build.Tasks;

[TaskName("Compare")]
[TaskDescription(
    "Compares two recorded runs (--runs=A,B; ids or last, last~N of the pipeline, skipping errors unless --include-errors): what changed " +
    "in parameters, pipeline keys, data and metrics (--all adds unchanged metrics); writes an HTML compare report.")]
public sealed class CompareTask(RunStore store) : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var settings = context.Settings;
        var (comparison, report) = await new CompareStage(store).RunAsync(
            settings.Runs, settings.Model ?? context.Spec.Name, Path.Combine(context.Paths.Artifacts, "compare"), context.CancellationToken,
            includeErrors: settings.IncludeErrors, showUnchanged: settings.ShowAll);
        ConsoleReport.Write(context, $"Compare {comparison.Title}:", comparison.Markdown());
        StepSummary.Append(context, $"### {comparison.New.Pipeline}: {comparison.Title}\n\n{comparison.Markdown()}");
        context.Information($"Compare report: {Path.GetRelativePath(context.Paths.Root, report)}");
    }
}
