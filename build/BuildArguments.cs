namespace Layercake.Build;

/// <summary>The build's own arguments, with what each means; anything else on the command line is an error.</summary>
public static class BuildArguments
{
    public static IReadOnlyDictionary<string, string> Known { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["pipeline"] = "pipeline YAML file (default pipelines/penguins.yaml)",
        ["data"] = "CSV file to use instead of the pipeline's 'data'",
        ["version"] = "version to register the model as (MAJOR.MINOR.PATCH); default: the next minor version",
        ["force"] = "re-run stages even when their inputs are unchanged",
        ["artifacts"] = "folder for run outputs and logs (default artifacts)",
        ["models"] = "folder of the local model registry (default models)",
        ["test-filter"] = "dotnet test filter for the Test task, e.g. TestCategory=Unit",
        ["model"] = "model (pipeline) name; reads pipelines/<model>.yaml unless --pipeline is given",
        ["environment"] = "environment to deploy to, promote to, roll back, inspect or monitor, as declared under the pipeline's environments:",
        ["repository"] = "GitHub repository (owner/name) for releases and deployments; default GITHUB_REPOSITORY. Used when GITHUB_TOKEN is set",
        ["since"] = "Monitor: only predictions from this UTC date or time (2026-11-20, 2026-11-20T06:00Z) or this far back (36h, 7d)",
        ["log"] = "Monitor: a prediction log file or folder to read instead of an environment's volume",
        ["feedback"] = "Monitor: CSV of true labels, header request_id,label, for live quality",
    };
}
