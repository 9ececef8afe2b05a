using Cake.Common;
using Cake.Common.Diagnostics;
using Layercake.Build.Frosting;
using Layercake.Development;

namespace Layercake.Build.Tasks;

[TaskName("Compare")]
[TaskDescription("Compares two recorded runs (--runs=A,B; ids or last, last~N of the pipeline, skipping errors unless --include-errors): what changed in parameters, pipeline keys, data and metrics (--all adds unchanged metrics); writes an HTML compare report.")]
public sealed class CompareTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var (comparison, report) = await new CompareStage(context.RunStore).RunAsync(
            context.Argument<string?>("runs", null), context.Model ?? context.Spec.Name, Path.Combine(context.Paths.Artifacts, "compare"), context.CancellationToken,
            includeErrors: Flag(context, "include-errors"), showUnchanged: Flag(context, "all"));
        ConsoleReport.Write(context, $"Compare {comparison.Title}:", comparison.Markdown());
        StepSummary.Append(context, $"### {comparison.New.Pipeline}: {comparison.Title}\n\n{comparison.Markdown()}");
        context.Information($"Compare report: {Path.GetRelativePath(context.Paths.Root, report)}");
    }

    private static bool Flag(BuildContext context, string name) => context.HasArgument(name) && context.Argument(name, true);
}
