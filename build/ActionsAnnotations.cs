using Cake.Common.Build;
using Cake.Common.Build.GitHubActions.Data;
using Layercake.Development.Evaluation;
using Layercake.Pipelines;
using Layercake.Pipelines.Locations;

namespace Layercake.Build;

/// <summary>
/// Under GitHub Actions, a failed build's error becomes an <c>::error file=…,line=…,col=…::</c> annotation through
/// Cake's GitHubActions alias, at the place the console names: the pipeline YAML's key, the data file's row, or the
/// gate that was missed. Errors without a place are annotated without one.
/// </summary>
public static class ActionsAnnotations
{
    public static void Report(BuildContext context, Exception error)
    {
        var actions = context.GitHubActions();
        if (!actions.IsRunningOnGitHubActions)
        {
            return;
        }

        actions.Commands.Error(error.Message, Locate(context, error));
    }

    private static GitHubActionsAnnotation Locate(BuildContext context, Exception error)
    {
        switch (error)
        {
            case ILocatedError located:
                return new GitHubActionsAnnotation { File = Relative(context, located.File), StartLine = located.Line,
                    StartColumn = located.Column };
            case GateFailedException gates:
                var failed = gates.Report.Outcomes.Where(o => !o.Passed).Select(o => o.Gate).ToHashSet(StringComparer.Ordinal);
                var gate = context.Spec.Gates.Metrics.FirstOrDefault(g => failed.Contains(g.ToString()));
                return new GitHubActionsAnnotation
                {
                    File = Relative(context, context.Settings.PipelineFile),
                    StartLine = gate?.Location.Line,
                    StartColumn = gate?.Location.Column,
                };
            default:
                return new GitHubActionsAnnotation();
        }
    }

    /// <summary>GitHub places annotations by the path from the repository root, which is where the build runs.</summary>
    private static string Relative(BuildContext context, string file)
    {
        var full = Path.GetFullPath(file, context.Paths.Root);
        var relative = Path.GetRelativePath(context.Paths.Root, full);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? full : relative).Replace('\\', '/');
    }
}
