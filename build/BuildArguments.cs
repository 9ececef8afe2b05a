using Layercake.Build.Frosting;

namespace Layercake.Build;

/// <summary>The build's own arguments, with what each means and its default; anything else on the command line is an error.</summary>
public static class BuildArguments
{
    public static IReadOnlyList<ScriptArgument> Known { get; } =
    [
        new("pipeline", "pipeline YAML file", "pipelines/penguins.yaml, or pipelines/<model>.yaml with --model"),
        new("model", "model (pipeline) name; reads pipelines/<model>.yaml unless --pipeline is given", "the pipeline file's"),
        new("data", "data file (CSV, Parquet or JSON Lines) to use instead of the pipeline's 'data'; Score: the table to score",
            "the pipeline's data"),
        new("model-version", "model version to register, promote, roll back to or monitor (MAJOR.MINOR.PATCH)",
            "Package: the next minor version; others: the latest"),
        new("force",
            "re-run stages even when their inputs are unchanged; Deploy and Promote: deploy even if the version falls short of the one " +
            "live there (recorded)", "false"),
        new("artifacts", "folder for run outputs and logs", "artifacts"),
        new("models", "folder of the local model registry", "models"),
        new("test-filter", "dotnet test filter for the Test task, e.g. TestCategory=Unit", "all tests"),
        new("environment",
            "environment to deploy to, promote to, roll back, inspect or monitor, as declared under the pipeline's environments:", "none"),
        new("repository", "GitHub repository (owner/name) for releases and deployments; used when GITHUB_TOKEN is set",
            "GITHUB_REPOSITORY"),
        new("since",
            "Monitor: only predictions from this UTC date or time (2026-11-20, 2026-11-20T06:00Z), this far back (36h, 7d), or after " +
            "where the last run of the environment stopped (last)", "all"),
        new("log", "Monitor: a prediction log file or folder to read instead of an environment's volume", "the environment's volume"),
        new("feedback", "Monitor: CSV of true labels, header request_id,label, for live quality", "none"),
        new("run-store", "the run store (SQLite) where every run that reaches Train is recorded", "<models>/runs.db"),
        new("keep-runs", "how many runs per pipeline keep their copy of the artifacts under <artifacts>/runs/", "20"),
        new("from-run", "re-run a recorded run: its pipeline snapshot on its data (refused if the data changed)", "none"),
        new("outcome", "Runs: only runs with this outcome (packaged, passed, trained, gate_failed, error)", "all"),
        new("format", "Runs: table, json or csv", "table"),
        new("output",
            "Runs: write the json or csv export to this file instead of the console; Score: the scored file (.parquet, .csv or .jsonl)",
            "Runs: the console; Score: none"),
        new("keep", "Score: input columns copied to each scored row, comma-separated", "every input column"),
        new("max-rejects", "Score: bad rows set aside in <output>.rejects.jsonl before the job fails, N or P% (CI and cron jobs keep 0)",
            "scoring.max_rejects, else 0"),
        new("source-query", "Score: a query to score instead of --data, run against the pipeline's source: database", "none"),
        new("output-table", "Score: a database table (in scoring.database, else the source: database) to write instead of --output",
            "none"),
        new("replace", "Score: replace the --output-table when it exists, in the job's transaction", "false: refused"),
        new("limit", "Runs: at most this many runs, newest first", "20"),
        new("runs", "Compare: two runs, ids or last / last~N of the pipeline, e.g. last~1,last", "last~1,last"),
        new("include-errors", "Compare: let last / last~N count runs that ended in an error", "false"),
        new("all", "Compare: show the unchanged metric rows too", "false"),
    ];
}
