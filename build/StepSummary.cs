using Cake.Common.Build;

namespace Layercake.Build;

/// <summary>Appends Markdown to the GitHub Actions job summary, through Cake's GitHubActions alias, when the build runs there.</summary>
public static class StepSummary
{
    public static void Append(BuildContext context, string markdown)
    {
        if (context.StepSummaryFile is not null)
        {
            context.GitHubActions().Commands.SetStepSummary(markdown.TrimEnd() + "\n");
        }
    }
}
