namespace Layercake.Build;

/// <summary>Appends Markdown to the GitHub Actions job summary when the build runs there.</summary>
public static class StepSummary
{
    public static void Append(BuildContext context, string markdown)
    {
        if (context.StepSummaryFile is { } file)
        {
            File.AppendAllText(file, markdown.TrimEnd() + "\n\n");
        }
    }
}
