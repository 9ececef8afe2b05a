using Layercake.Batch;

namespace Layercake.Build;

/// <summary>The Score task's command line as a library request, with command-line advice for what is missing or malformed.</summary>
public static class ScoreArguments
{
    public static ScoreRequest Read(BuildContext context)
    {
        var settings = context.Settings;
        var output = settings.Output
            ?? throw new ArgumentException("Score needs --output=FILE (.parquet, .csv or .jsonl): where the scored rows go.");
        var query = settings.SourceQuery;
        if (query is null && settings.DataOverride is null)
        {
            throw new ArgumentException("Score needs the table to score: --data=FILE (CSV, Parquet or JSON Lines) or --source-query=SQL.");
        }

        var maxRejects = settings.MaxRejects;
        var limit = RejectLimit.TryParse(maxRejects)
            ?? throw new ArgumentException(
                $"--max-rejects={maxRejects} is not a limit; expected a number of rows (10) or a share of them (0.5%).");
        var keep = settings.Keep?.Split(',',
            StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var model = settings.Model ?? context.Spec.Name;
        return new ScoreRequest(model, settings.RequestedVersion, settings.EnvironmentName, settings.DataOverride ?? "", output, keep, limit)
        {
            Query = query is null ? null : (context.Spec.Source
                ?? throw new ArgumentException(
                    $"--source-query needs a database: {settings.PipelineFile} declares no source: block to run it against."))
                with { Query = query },
        };
    }
}
