using Layercake.Batch;
using Layercake.Batch.Tables;
using Layercake.Pipelines.Data;
using Layercake.Pipelines.Scoring;

namespace Layercake.Build;

/// <summary>
/// The Score task's command line as a library request, each setting from its flag, else the pipeline's <c>scoring:</c>
/// section, with command-line advice for what is missing or malformed.
/// </summary>
public static class ScoreArguments
{
    public static ScoreRequest Read(BuildContext context)
    {
        var settings = context.Settings;
        var scoring = context.Spec.Scoring;
        if (settings.OutputTable is not null && settings.Output is not null)
        {
            throw new ArgumentException("Score writes one output: give --output=FILE or --output-table=NAME, not both.");
        }

        var table = settings.OutputTable ?? (settings.Output is null ? scoring.Table : null);
        var output = table is not null ? Path.Combine(context.Layout.PipelineRoot, "score", table)
            : settings.Output ?? scoring.Output ?? throw new ArgumentException(
                "Score needs --output=FILE (.parquet, .csv or .jsonl) or --output-table=NAME: where the scored rows go "
                + $"(or scoring.output or scoring.table in {settings.PipelineFile}).");
        var data = settings.DataOverride ?? (settings.SourceQuery is null ? scoring.Input : null);
        var query = settings.SourceQuery ?? (data is null ? scoring.Query : null);
        if (query is null && data is null)
        {
            throw new ArgumentException("Score needs the table to score: --data=FILE (CSV, Parquet or JSON Lines) or --source-query=SQL "
                + $"(or scoring.input or scoring.query in {settings.PipelineFile}).");
        }

        var maxRejects = settings.MaxRejects ?? scoring.MaxRejects ?? "0";
        var limit = RejectLimit.TryParse(maxRejects)
            ?? throw new ArgumentException(
                $"--max-rejects={maxRejects} is not a limit; expected a number of rows (10) or a share of them (0.5%).");
        var keep = settings.Keep?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? scoring.Keep;
        var model = settings.Model ?? context.Spec.Name;
        return new ScoreRequest(model, settings.RequestedVersion, settings.EnvironmentName, data ?? "", output, keep, limit)
        {
            Query = query is null ? null : Database(context, scoring, "--source-query") with { Query = query },
            Table = table is null ? null : Table(context, scoring, table),
        };
    }

    private static OutputTable Table(BuildContext context, ScoringSpec scoring, string table)
    {
        var database = Database(context, scoring, "--output-table");
        return new OutputTable(database.Kind, database.ConnectionEnv, table, context.Settings.Replace || scoring.Replace);
    }

    private static QuerySource Database(BuildContext context, ScoringSpec scoring, string flag) =>
        scoring.Database ?? context.Spec.Source ?? throw new ArgumentException(
            $"{flag} needs a database: {context.Settings.PipelineFile} declares no source: block and no scoring.database to use.");
}
